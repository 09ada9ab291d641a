import { defineFluxProvider } from '../black-forest-labs.ts';

export const fluxKontextProvider = defineFluxProvider({
  id: 'flux-kontext',
  name: 'FLUX.1 Kontext',
  description: 'Context-aware generation and editing with Pro and Max modes: excellent for precise style requirements.',
  models: ['flux-kontext-pro', 'flux-kontext-max'],
  usdPerImage: { 'flux-kontext-pro': 0.04, 'flux-kontext-max': 0.08 },
  qualityScore: 8,
  estimatedSeconds: 12,
  features: ['Text to image', 'Image editing from an input image', 'Character and style consistency'],
  extraOptions: {},
  acceptsImage: true,
});

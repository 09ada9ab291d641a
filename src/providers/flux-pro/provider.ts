import { defineFluxProvider } from '../black-forest-labs.ts';

export const fluxProProvider = defineFluxProvider({
  id: 'flux-pro',
  name: 'FLUX 1.1 [pro]',
  description: 'Professional image generation with fine detail, artistic control and excellent prompt adherence.',
  models: ['flux-pro-1.1', 'flux-pro'],
  usdPerImage: { 'flux-pro-1.1': 0.04, 'flux-pro': 0.05 },
  qualityScore: 8,
  estimatedSeconds: 10,
  features: ['Text to image', 'Prompt upsampling', 'Safety tolerance control'],
  extraOptions: {},
});

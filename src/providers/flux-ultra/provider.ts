import { z } from 'zod';
import { defineFluxProvider } from '../black-forest-labs.ts';

export const fluxUltraProvider = defineFluxProvider({
  id: 'flux-ultra',
  name: 'FLUX 1.1 [pro] Ultra',
  description: 'Highest-quality FLUX model: up to 4 megapixels with extreme detail for demanding projects.',
  models: ['flux-pro-1.1-ultra'],
  usdPerImage: { 'flux-pro-1.1-ultra': 0.06 },
  qualityScore: 9,
  estimatedSeconds: 15,
  features: ['Text to image', 'Up to 4 megapixels', 'Raw mode for natural-looking photos'],
  extraOptions: {
    quality: z.enum(['high', 'ultra']).default('ultra').describe('ultra renders at up to 4 megapixels'),
    raw: z.boolean().default(false).describe('Less processed, more natural-looking images'),
  },
});

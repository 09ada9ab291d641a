import { z } from 'zod';
import { defineFluxProvider } from '../black-forest-labs.ts';

export const fluxDevProvider = defineFluxProvider({
  id: 'flux-dev',
  name: 'FLUX.1 [dev]',
  description: 'Development model for fast iteration: a balance of speed and quality for prototyping.',
  models: ['flux-dev'],
  usdPerImage: { 'flux-dev': 0.025 },
  qualityScore: 6,
  estimatedSeconds: 8,
  features: ['Text to image', 'Fast iteration', 'Guidance and steps control'],
  extraOptions: {
    steps: z.number().int().min(1).max(50).default(28).describe('Denoising steps'),
    guidance: z.number().min(1.5).max(5).default(3).describe('How closely to follow the prompt'),
  },
});

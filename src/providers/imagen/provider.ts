import { z } from 'zod';
import { aspectRatioOption, textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

const models = ['imagen-4.0-generate-001', 'imagen-4.0-ultra-generate-001', 'imagen-4.0-fast-generate-001', 'imagen-3.0-generate-002'] as const;
const usdPerImage: Record<(typeof models)[number], number> = {
  'imagen-4.0-generate-001': 0.04,
  'imagen-4.0-ultra-generate-001': 0.06,
  'imagen-4.0-fast-generate-001': 0.02,
  'imagen-3.0-generate-002': 0.03,
};

export const imagenOptionsSchema = z.strictObject({
  model: z.enum(models).default('imagen-4.0-generate-001').describe('Imagen model'),
  aspectRatio: aspectRatioOption(['1:1', '3:4', '4:3', '9:16', '16:9'], '1:1'),
  numberOfImages: z.number().int().min(1).max(4).default(1).describe('How many images to make'),
  imageSize: z.enum(['1K', '2K']).default('1K').describe('Output size (2K on Imagen 4 standard and ultra)'),
  personGeneration: z.enum(['dont_allow', 'allow_adult', 'allow_all']).optional().describe('Whether people may appear'),
});
type ImagenOptions = z.infer<typeof imagenOptionsSchema>;

export const imagenProvider = defineProvider<ImagenOptions>({
  id: 'imagen',
  name: 'Google Imagen',
  description: "Google's most advanced image model: photorealistic quality and exceptional prompt adherence, in several sub-models.",
  types: ['IMAGE'],
  models: [...models],
  features: ['Text to image', 'Up to 4 images per request', 'Accurate text rendering'],
  limitations: ['Prompt at most 480 tokens', 'No input image'],
  qualityScore: 9,
  optionsSchema: imagenOptionsSchema,
  checkInput: (request) => (request.input.image ? { field: 'input.image', message: 'imagen does not take an input image' } : textRequired(2000)(request)),
  quote: ({ options }) => ({ usd: usdPerImage[options.model] * options.numberOfImages, estimatedSeconds: 12, model: options.model }),
  polling: { initialDelayMs: 1000, intervalMs: 2000, maxIntervalMs: 5000 },
});

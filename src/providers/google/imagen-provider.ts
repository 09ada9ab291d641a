import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { geminiSettings } from './google-settings.ts';
import { createGeminiImageClient } from './imagen-client.ts';
import { checkImagenInput, type ImagenOptions, imagenLimits, imagenModels, imagenOptionsSchema } from './imagen-options.ts';
import { quoteImagen } from './imagen-pricing.ts';

export const imagenProvider = defineProvider<ImagenOptions>({
  id: 'imagen',
  name: 'Google image models (Imagen successor)',
  description: "Google's Gemini image models (Nano Banana 2 and Pro): photorealistic quality, accurate text and image editing. Imagen itself is shut down.",
  types: ['IMAGE'],
  models: [...imagenModels],
  features: ['Text to image', 'Editing from input and reference images', 'Accurate text rendering', 'Up to 4K'],
  limitations: [
    `Aspect ratios ${describeChoices(imagenLimits.aspectRatios)}`,
    `At most ${imagenLimits.referenceImages} reference images`,
    `${imagenLimits.oneKOnly.join(', ')} makes 1K images only`,
    'One image per request',
  ],
  qualityScore: 9,
  optionsSchema: imagenOptionsSchema,
  checkInput: checkImagenInput,
  quote: quoteImagen,
  polling: { initialDelayMs: 1000, intervalMs: 2000, maxIntervalMs: 5000 },
  // Synchronous: the first poll makes the image.
  routes: [defineRoute({ id: 'gemini', settings: geminiSettings, polling: { initialDelayMs: 0, intervalMs: 1000, maxIntervalMs: 5000 }, connect: createGeminiImageClient })],
});

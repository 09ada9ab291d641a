import { z } from 'zod';
import { aspectRatioOption, textRequired } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/**
 * Imagen is shut down on the Gemini API; Google's current image models answer through generateContent.
 * The provider keeps the id `imagen` for the seeds' sake.
 */
export const imagenModels = ['gemini-3.1-flash-image-preview', 'gemini-3-pro-image-preview', 'gemini-2.5-flash-image'] as const;
export type ImagenModel = (typeof imagenModels)[number];
export const imageSizes = ['1K', '2K', '4K'] as const;

export const imagenLimits = {
  promptChars: 8000,
  aspectRatios: ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const,
  /** gemini-2.5-flash-image makes 1K images only. */
  oneKOnly: ['gemini-2.5-flash-image'] as readonly ImagenModel[],
  referenceImages: 3,
};

export const imagenOptionsSchema = z.strictObject({
  model: z.enum(imagenModels).default('gemini-3.1-flash-image-preview').describe('Google image model'),
  aspectRatio: aspectRatioOption(imagenLimits.aspectRatios, '1:1'),
  imageSize: z.enum(imageSizes).default('1K').describe('Output size (2K and 4K on the Gemini 3 models)'),
});
export type ImagenOptions = z.infer<typeof imagenOptionsSchema>;

export function checkImagenInput(request: GenerationRequest<ImagenOptions>): InputProblem | null {
  const { options, input } = request;
  if (options.imageSize !== '1K' && imagenLimits.oneKOnly.includes(options.model)) return { field: 'options.imageSize', message: `${options.model} makes 1K images only` };
  if ((input.references?.length ?? 0) > imagenLimits.referenceImages) return { field: 'input.references', message: `at most ${imagenLimits.referenceImages} reference images` };
  return textRequired(imagenLimits.promptChars)(request);
}

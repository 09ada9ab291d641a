import { z } from 'zod';
import type { GenerationRequest, InputProblem } from '../spec.ts';
import { type FluxModelId, fluxCommonOptions, fluxLimits, fluxSizeOptions, safetyTolerance } from './flux-models.ts';

/** One FLUX provider id's options: the family of BFL models it offers, the common options, its safety range, its own extras. */
function fluxOptionsSchema<const Models extends readonly [FluxModelId, ...FluxModelId[]], Extra extends z.ZodRawShape>(models: Models, maxSafetyTolerance: number, extraOptions: Extra) {
  return z.strictObject({
    model: z.enum(models).default(models[0]).describe('FLUX model'),
    ...fluxCommonOptions,
    safetyTolerance: safetyTolerance(maxSafetyTolerance),
    ...extraOptions,
  });
}

export const fluxDevOptionsSchema = fluxOptionsSchema(['flux-dev'], 6, {
  ...fluxSizeOptions,
  steps: z.number().int().min(1).max(50).default(28).describe('Denoising steps'),
  guidance: z.number().min(1.5).max(5).default(3).describe('How closely to follow the prompt'),
});

export const fluxProOptionsSchema = fluxOptionsSchema(['flux-pro-1.1', 'flux-pro'], 6, fluxSizeOptions);

export const fluxUltraOptionsSchema = fluxOptionsSchema(['flux-pro-1.1-ultra'], 6, {
  quality: z.enum(['ultra']).default('ultra').describe('Accepted for compatibility: Ultra always renders at up to 4 megapixels'),
  raw: z.boolean().default(false).describe('Less processed, more natural-looking images'),
  imagePromptStrength: z.number().min(0).max(1).default(0.1).describe('How much an input image steers the result'),
});

// Sources disagree on Kontext's range; ComfyUI's client (which calls BFL) keeps to 0-2.
export const fluxKontextOptionsSchema = fluxOptionsSchema(['flux-kontext-pro', 'flux-kontext-max'], 2, {});

export type FluxDevOptions = z.infer<typeof fluxDevOptionsSchema>;
export type FluxProOptions = z.infer<typeof fluxProOptionsSchema>;
export type FluxUltraOptions = z.infer<typeof fluxUltraOptionsSchema>;
export type FluxKontextOptions = z.infer<typeof fluxKontextOptionsSchema>;
/** Any FLUX provider id's options, told apart by `model`. */
export type FluxOptions = FluxDevOptions | FluxProOptions | FluxUltraOptions | FluxKontextOptions;

/** The models a FLUX provider id offers: its schema's `model` choices. */
export const fluxModelsOf = (schema: { shape: { model: { unwrap(): { options: FluxModelId[] } } } }): FluxModelId[] => schema.shape.model.unwrap().options;

/** The request's input and size checks for a FLUX id that refuses, requires or may take an input image. */
export function checkFluxInput(request: GenerationRequest<FluxOptions>, image: 'refused' | 'required' | 'optional'): InputProblem | null {
  const { input, options } = request;
  if (image === 'refused' && input.image) return { field: 'input.image', message: 'this FLUX model does not take an input image' };
  if (image === 'required' && !input.image) return { field: 'input.image', message: 'Kontext edits an input image: input.image is required' };
  // Only the ids that take a pixel size have width and height.
  const size: { width?: number; height?: number } = 'width' in options || 'height' in options ? options : {};
  if ((size.width === undefined) !== (size.height === undefined)) return { field: size.width === undefined ? 'options.width' : 'options.height', message: 'width and height go together' };
  const text = input.text ?? '';
  if (text.trim() === '') return { field: 'input.text', message: 'is required' };
  return text.length > fluxLimits.promptChars ? { field: 'input.text', message: `must be at most ${fluxLimits.promptChars} characters` } : null;
}

/** fal and Replicate host every FLUX id and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    'flux-dev': FluxDevOptions;
    'flux-pro': FluxProOptions;
    'flux-ultra': FluxUltraOptions;
    'flux-kontext': FluxKontextOptions;
  }
}

import { isFetchableUrl } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';
import type { LumaOptions } from './luma-options.ts';

/** Luma fetches keyframe images itself, by URL: a data URI cannot be a keyframe. */
export function checkLumaRoute({ input }: GenerationRequest): InputProblem | null {
  for (const field of ['image', 'endImage'] as const) {
    if (input[field] && !isFetchableUrl(input[field])) return { field: `input.${field}`, message: 'Luma fetches keyframe images by https URL (not a data URI)' };
  }
  return null;
}

/** The body of `POST /dream-machine/v1/generations/video` (the `lumaai` SDK's GenerationCreateParams). */
export function buildLumaVideo({ input, options }: GenerationRequest<LumaOptions>) {
  const keyframes = {
    ...(input.image ? { frame0: { type: 'image', url: input.image } } : {}),
    ...(input.endImage ? { frame1: { type: 'image', url: input.endImage } } : {}),
  };
  return {
    generation_type: 'video',
    model: options.model,
    prompt: input.text,
    aspect_ratio: options.aspectRatio,
    duration: `${options.duration}s`,
    resolution: options.resolution,
    loop: options.loop,
    ...(Object.keys(keyframes).length > 0 ? { keyframes } : {}),
  };
}

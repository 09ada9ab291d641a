import { parseDataUri } from '../../net/data-uri.ts';
import type { GenerationRequest } from '../spec.ts';
import { fluxLimits, fluxModels } from './flux-models.ts';
import type { FluxOptions } from './flux-options.ts';

/** BFL takes images as URLs or raw base64. */
const bflImage = (value: string) => parseDataUri(value)?.base64 ?? value;

/** A pixel size for an aspect ratio: the long side 1024, both sides multiples of 32 within BFL's range. */
export function pixelSizeFor(aspectRatio: string): { width: number; height: number } {
  const [ratioWidth, ratioHeight] = aspectRatio.split(':').map(Number) as [number, number];
  const { multiple, min, max } = fluxLimits.size;
  const longSide = 1024;
  const scale = longSide / Math.max(ratioWidth, ratioHeight);
  const toSide = (value: number) => Math.min(max, Math.max(min, Math.round((value * scale) / multiple) * multiple));
  return { width: toSide(ratioWidth), height: toSide(ratioHeight) };
}

/** FLUX.1 [dev] and [pro] take pixels: the size asked for, or one made from the aspect ratio. */
const pixelsOf = (options: { aspectRatio: string; width?: number; height?: number }) =>
  options.width !== undefined && options.height !== undefined ? { width: options.width, height: options.height } : pixelSizeFor(options.aspectRatio);

/** The endpoint and body for the FLUX model asked for (BFL's endpoint reference): sized models take pixels, the others an aspect ratio. */
export function buildFluxTask({ input, options }: GenerationRequest<FluxOptions>): { path: string; body: Record<string, unknown> } {
  const common = {
    prompt: input.text,
    output_format: options.outputFormat,
    prompt_upsampling: options.promptUpsampling,
    safety_tolerance: options.safetyTolerance,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const path = fluxModels[options.model].path;
  switch (options.model) {
    case 'flux-dev':
      return { path, body: { ...common, ...pixelsOf(options), steps: options.steps, guidance: options.guidance } };
    case 'flux-pro-1.1':
    case 'flux-pro':
      return { path, body: { ...common, ...pixelsOf(options), ...(input.image ? { image_prompt: bflImage(input.image) } : {}) } };
    case 'flux-pro-1.1-ultra':
      return {
        path,
        body: {
          ...common,
          aspect_ratio: options.aspectRatio,
          raw: options.raw,
          ...(input.image ? { image_prompt: bflImage(input.image), image_prompt_strength: options.imagePromptStrength } : {}),
        },
      };
    case 'flux-kontext-pro':
    case 'flux-kontext-max':
      return { path, body: { ...common, aspect_ratio: options.aspectRatio, input_image: bflImage(input.image ?? '') } };
  }
}

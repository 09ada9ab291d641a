import { parseDataUri } from '../../net/data-uri.ts';
import type { GenerationRequest } from '../spec.ts';
import { type FluxModelId, fluxLimits, fluxModels } from './flux-models.ts';

/** The options every FLUX provider id may carry (each id's schema accepts a subset). */
interface FluxOptions {
  model: FluxModelId;
  aspectRatio: string;
  seed?: number;
  outputFormat: 'jpeg' | 'png';
  promptUpsampling: boolean;
  safetyTolerance: number;
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  raw?: boolean;
  imagePromptStrength?: number;
}

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

/** The endpoint and body for the FLUX model asked for (BFL's endpoint reference): sized models take pixels, the others an aspect ratio. */
export function buildFluxTask({ input, options: raw }: GenerationRequest): { path: string; body: Record<string, unknown> } {
  const options = raw as unknown as FluxOptions;
  const common = {
    prompt: input.text,
    output_format: options.outputFormat,
    prompt_upsampling: options.promptUpsampling,
    safety_tolerance: options.safetyTolerance,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const sized = options.width !== undefined && options.height !== undefined ? { width: options.width, height: options.height } : pixelSizeFor(options.aspectRatio);
  const bodies: Record<FluxModelId, () => Record<string, unknown>> = {
    'flux-dev': () => ({ ...common, ...sized, steps: options.steps, guidance: options.guidance }),
    'flux-pro-1.1': () => ({ ...common, ...sized, ...(input.image ? { image_prompt: bflImage(input.image) } : {}) }),
    'flux-pro': () => ({ ...common, ...sized, ...(input.image ? { image_prompt: bflImage(input.image) } : {}) }),
    'flux-pro-1.1-ultra': () => ({
      ...common,
      aspect_ratio: options.aspectRatio,
      raw: options.raw,
      ...(input.image ? { image_prompt: bflImage(input.image), image_prompt_strength: options.imagePromptStrength } : {}),
    }),
    'flux-kontext-pro': () => ({ ...common, aspect_ratio: options.aspectRatio, input_image: bflImage(input.image ?? '') }),
    'flux-kontext-max': () => ({ ...common, aspect_ratio: options.aspectRatio, input_image: bflImage(input.image ?? '') }),
  };
  return { path: fluxModels[options.model].path, body: bodies[options.model]() };
}

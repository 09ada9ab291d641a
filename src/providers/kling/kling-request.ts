import { parseDataUri } from '../../net/data-uri.ts';
import type { GenerationRequest } from '../spec.ts';
import { type KlingOptions, klingMasterModels } from './kling-options.ts';

export type KlingEndpoint = 'text2video' | 'image2video';

/** Kling takes an image as a URL or as raw base64 without the `data:` prefix. */
const klingImage = (value: string) => parseDataUri(value)?.base64 ?? value;

/** The body of `POST /v1/videos/{text2video|image2video}` (Kling's API reference). */
export function buildKlingTask({ input, options }: GenerationRequest<KlingOptions>, generationId: string): { endpoint: KlingEndpoint; body: Record<string, unknown> } {
  const common = {
    model_name: options.model,
    ...(input.text ? { prompt: input.text } : {}),
    ...(input.negativePrompt ? { negative_prompt: input.negativePrompt } : {}),
    ...(options.cfgScale !== undefined ? { cfg_scale: options.cfgScale } : {}),
    // Master models have one tier; Kling wants no mode for them.
    ...(klingMasterModels.includes(options.model) ? {} : { mode: options.mode }),
    duration: String(options.duration),
    external_task_id: generationId,
  };
  if (!input.image) return { endpoint: 'text2video', body: { ...common, aspect_ratio: options.aspectRatio } };
  return { endpoint: 'image2video', body: { ...common, image: klingImage(input.image), ...(input.endImage ? { image_tail: klingImage(input.endImage) } : {}) } };
}

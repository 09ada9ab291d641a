import type { GenerationRequest, InputProblem, OptionsOf } from '../spec.ts';
import type { RunwayModel } from './runway-models.ts';
import type { RunwayTaskRequest } from './runway-request.ts';

/**
 * Runway hosts Google's Veo 3.1 (veo3.1, veo3.1_fast) on its own task API. These map requests made to the
 * `veo` provider, typed by its options as the spec carries them (a provider folder never imports another).
 */
type VeoOptions = OptionsOf<'veo'>;

const veoModelOnRunway: Record<string, RunwayModel> = { 'veo-3.1-generate-001': 'veo3.1', 'veo-3.1-fast-generate-001': 'veo3.1_fast' };
const veoPixelRatio: Record<string, Record<string, string>> = {
  '720p': { '16:9': '1280:720', '9:16': '720:1280' },
  '1080p': { '16:9': '1920:1080', '9:16': '1080:1920' },
};

export function checkVeoOnRunway({ options }: GenerationRequest<VeoOptions>): InputProblem | null {
  const { model, resolution } = options;
  if (!veoModelOnRunway[model]) return { field: 'options.model', message: `Runway does not host ${model}` };
  return veoPixelRatio[resolution] ? null : { field: 'options.resolution', message: `Runway makes Veo at ${Object.keys(veoPixelRatio).join(' and ')}` };
}

export function buildVeoTaskOnRunway({ input, options: veo }: GenerationRequest<VeoOptions>): RunwayTaskRequest {
  const body = {
    model: veoModelOnRunway[veo.model],
    promptText: input.text,
    ratio: veoPixelRatio[veo.resolution]![veo.aspectRatio],
    duration: veo.duration,
    audio: veo.generateAudio,
    ...(input.negativePrompt ? { negativePrompt: input.negativePrompt } : {}),
    ...(veo.seed !== undefined ? { seed: veo.seed } : {}),
  };
  if (!input.image) return { endpoint: 'text_to_video', body };
  const promptImage = input.endImage
    ? [
        { uri: input.image, position: 'first' },
        { uri: input.endImage, position: 'last' },
      ]
    : input.image;
  return { endpoint: 'image_to_video', body: { ...body, promptImage } };
}

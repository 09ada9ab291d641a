import type { GenerationRequest } from '../spec.ts';
import { durationFor, type RunwayEndpoint, type RunwayModel, ratioFor, rulesFor, runwayLimits, runwayPresetOf } from './runway-models.ts';
import type { RunwayOptions } from './runway-options.ts';

export interface RunwayTaskRequest {
  endpoint: RunwayEndpoint;
  body: Record<string, unknown>;
}

/** Reference images guide aleph2 as keyframes spread evenly over the clip. */
const keyframesOf = (references: string[]) => references.slice(0, runwayLimits.keyframes).map((uri, index, all) => ({ at: all.length > 1 ? index / (all.length - 1) : 0, uri }));

/** Our unified request as the body of the Runway endpoint that makes it. Assumes the options' checks passed. */
export function buildRunwayTask(request: GenerationRequest<RunwayOptions>, model: RunwayModel): RunwayTaskRequest {
  const { input, options } = request;
  const rules = rulesFor(model, Boolean(input.image));
  const ratio = ratioFor(rules, options.aspectRatio ?? '16:9');
  const seed = typeof options.seed === 'number' ? { seed: options.seed } : {};
  const promptText = input.text ? { promptText: input.text } : {};
  const veo = model.startsWith('veo') ? { ...(options.audio !== undefined ? { audio: options.audio } : {}), ...(input.negativePrompt ? { negativePrompt: input.negativePrompt } : {}) } : {};
  const duration = durationFor(model, options.duration);
  switch (rules.endpoint) {
    case 'text_to_video':
      return { endpoint: 'text_to_video', body: { model, promptText: input.text, ratio, duration, ...veo, ...seed } };
    case 'image_to_video': {
      const promptImage = input.endImage
        ? [
            { uri: input.image, position: 'first' },
            { uri: input.endImage, position: 'last' },
          ]
        : input.image;
      return { endpoint: 'image_to_video', body: { model, promptImage, ...promptText, ratio, duration, ...veo, ...seed } };
    }
    case 'video_to_video': {
      const target = options.aspectRatio ? { targetAspectRatio: ratioFor(rules, options.aspectRatio) } : {};
      const keyframes = input.references?.length ? { keyframes: keyframesOf(input.references) } : {};
      return { endpoint: 'video_to_video', body: { model, videoUri: input.video, ...promptText, ...target, ...keyframes, ...seed } };
    }
    case 'text_to_image':
      return {
        endpoint: 'text_to_image',
        body: {
          model,
          promptText: input.text,
          ratio: ratioFor(rules, options.aspectRatio ?? '1:1'),
          ...seed,
          ...(input.references?.length ? { referenceImages: input.references.map((uri) => ({ uri })) } : {}),
        },
      };
    case 'text_to_speech':
      return { endpoint: 'text_to_speech', body: { model, promptText: input.text, voice: { type: 'runway-preset', presetId: runwayPresetOf(input.voice) } } };
    case 'sound_effect':
      return { endpoint: 'sound_effect', body: { model, promptText: input.text, ...(options.duration ? { duration: options.duration } : {}) } };
  }
}

import type { GenerationRequest } from '../spec.ts';
import { durationFor, type ModelRules, type RunwayEndpoint, type RunwayModel, ratioFor, rulesFor, runwayAudioTasks, runwayLimits, runwayPresetOf } from './runway-models.ts';
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
  if (request.type === 'AUDIO') return { endpoint: runwayAudioTasks[options.task].endpoint, body: audioTaskBody(request, model) };
  const rules = rulesFor(model, input);
  const takes = (field: string) => rules.fields.includes(field);
  const ratio = ratioFor(rules, options.aspectRatio ?? (rules.endpoint === 'text_to_image' ? '1:1' : '16:9'));
  const common = {
    model,
    ...(input.text ? { promptText: input.text } : {}),
    ...(ratio && (options.aspectRatio || takes('ratio')) && rules.endpoint !== 'video_to_video' ? { ratio } : {}),
    ...(rules.durations ? { duration: durationFor(model, options.duration) } : {}),
    ...(typeof options.seed === 'number' && takes('seed') ? { seed: options.seed } : {}),
    ...(options.audio !== undefined && takes('audio') ? { audio: options.audio } : {}),
    ...(input.negativePrompt && takes('negativePrompt') ? { negativePrompt: input.negativePrompt } : {}),
  };
  const references = input.references?.length ? input.references : undefined;
  switch (rules.endpoint) {
    case 'text_to_video':
      return { endpoint: 'text_to_video', body: { ...common, ...(references && takes('references') ? { references: references.map((uri) => ({ uri })) } : {}) } };
    case 'image_to_video': {
      const promptImage = input.endImage
        ? [
            { uri: input.image, position: 'first' },
            { uri: input.endImage, position: 'last' },
          ]
        : input.image;
      return { endpoint: 'image_to_video', body: { ...common, promptImage } };
    }
    case 'video_to_video':
      return { endpoint: 'video_to_video', body: { ...common, ...videoToVideoFields(request, model, rules) } };
    case 'text_to_image':
      return { endpoint: 'text_to_image', body: { ...common, ...(references ? { referenceImages: references.map((uri) => ({ uri })) } : {}) } };
    default:
      return { endpoint: rules.endpoint, body: audioTaskBody(request, model) };
  }
}

/** The source video and guides: aleph2 letterboxes to a target shape with keyframes; the others take a ratio and references. */
function videoToVideoFields({ input, options }: GenerationRequest<RunwayOptions>, model: RunwayModel, rules: ModelRules): Record<string, unknown> {
  const source = rules.fields.includes('videoUri') ? { videoUri: input.video } : { promptVideo: input.video };
  const references = input.references?.length ? input.references : undefined;
  if (model === 'aleph2') {
    return { ...source, ...(options.aspectRatio ? { targetAspectRatio: ratioFor(rules, options.aspectRatio) } : {}), ...(references ? { keyframes: keyframesOf(references) } : {}) };
  }
  const ratio = options.aspectRatio ? ratioFor(rules, options.aspectRatio) : undefined;
  return { ...source, ...(ratio ? { ratio } : {}), ...(references && rules.fields.includes('references') ? { references: references.map((uri) => ({ uri })) } : {}) };
}

const presetVoice = (voice: string | undefined) => ({ type: 'runway-preset', presetId: runwayPresetOf(voice) });

/** The body of the audio endpoint `options.task` names; seed_audio takes reference audio where the ElevenLabs models take a preset. */
function audioTaskBody({ input, options }: GenerationRequest<RunwayOptions>, model: RunwayModel): Record<string, unknown> {
  const seedAudio = model === 'seed_audio';
  switch (runwayAudioTasks[options.task].endpoint) {
    case 'text_to_speech':
      if (seedAudio) return { model, promptText: input.text, ...(input.audio ? { voice: { type: 'reference-audio', audioUri: input.audio } } : {}) };
      return { model, promptText: input.text, voice: presetVoice(input.voice), ...(model === 'eleven_v3' && typeof options.seed === 'number' ? { seed: options.seed } : {}) };
    case 'sound_effect':
      if (seedAudio) return { model, promptText: input.text, ...(input.audio ? { referenceAudios: [input.audio] } : {}) };
      return { model, promptText: input.text, ...(options.duration ? { duration: options.duration } : {}) };
    case 'voice_isolation':
      return { model, audioUri: input.audio };
    case 'voice_dubbing':
      return { model, audioUri: input.audio, targetLang: options.targetLanguage };
    case 'speech_to_speech':
      return { model, media: input.audio ? { type: 'audio', uri: input.audio } : { type: 'video', uri: input.video }, voice: presetVoice(input.voice) };
  }
}

import { z } from 'zod';
import { uploadUriScheme } from '../../uploads/upload-uri.ts';
import { seedOption } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';
import {
  durationFor,
  makesImages,
  makesVideo,
  type RunwayModel,
  ratioFor,
  rulesFor,
  runwayAspectRatios,
  runwayAudioTaskNames,
  runwayAudioTasks,
  runwayDubbingLanguages,
  runwayLimits,
  runwayModels,
  runwayPresetOf,
  runwayVoicePresets,
} from './runway-models.ts';

/** The seeds' model generations; each maps to a live Runway model (Gen-2 and Gen-3 are retired upstream). */
const versionAliases = ['gen-2', 'gen-3', 'gen-4'] as const;

export const runwayOptionsSchema = z.strictObject({
  model: z
    .enum([...runwayModels, ...versionAliases])
    .optional()
    .describe('Runway model id, or gen-2 / gen-3 / gen-4 to let the gateway pick a live model of that generation'),
  version: z.enum(versionAliases).optional().describe('Model generation: gen-2, gen-3 or gen-4'),
  duration: z
    .number()
    .min(0.5)
    .max(30)
    .optional()
    .describe(
      `Video length in seconds (default ${runwayLimits.defaultDuration}; Veo 8); a sound effect's length (0.5-30); for isolation, dubbing and speech-to-speech, the source's length the price is estimated for (default ${runwayLimits.assumedSourceSeconds})`,
    ),
  aspectRatio: z.enum(runwayAspectRatios).optional().describe("Aspect ratio or a Runway pixel ratio such as 1280:720 (default 16:9; video-to-video keeps the input's unless given)"),
  quality: z.enum(['standard', 'high', 'pro']).default('standard').describe('standard animates images with gen4_turbo; high and pro use gen4.5'),
  motionIntensity: z.enum(['low', 'medium', 'high']).optional().describe("Accepted for compatibility; Runway's current models take motion from the prompt"),
  audio: z.boolean().optional().describe('Veo 3.1: generate a soundtrack (default on; off costs less)'),
  task: z.enum(runwayAudioTaskNames).default('speech').describe('For AUDIO: speech from the text, the sound effect it describes, or voice-isolation, dubbing or speech-to-speech of input.audio'),
  targetLanguage: z.enum(runwayDubbingLanguages).optional().describe('For dubbing: the language to dub into (ISO 639-1, e.g. es)'),
  seed: seedOption,
});
export type RunwayOptions = z.infer<typeof runwayOptionsSchema>;

const isRunwayModel = (model: string | undefined): model is RunwayModel => (runwayModels as readonly string[]).includes(model ?? '');

/** Picks Runway's model id from what the request holds and what the client asked for. */
export function resolveRunwayModel(request: GenerationRequest<RunwayOptions>): RunwayModel {
  const { type, input, options } = request;
  if (type === 'AUDIO') {
    const models: readonly RunwayModel[] = runwayAudioTasks[options.task].models;
    return isRunwayModel(options.model) && models.includes(options.model) ? options.model : models[0]!;
  }
  if (type === 'IMAGE') {
    // gen4_image_turbo needs reference images; without them its sibling makes the picture.
    if (options.model === 'gen4_image_turbo') return input.references?.length ? 'gen4_image_turbo' : 'gen4_image';
    return isRunwayModel(options.model) ? options.model : 'gen4_image';
  }
  if (isRunwayModel(options.model)) return options.model;
  if (input.video) return 'aleph2';
  const version = options.model ?? options.version;
  if (input.image && (version === 'gen-2' || version === 'gen-3' || options.quality === 'standard')) return 'gen4_turbo';
  return 'gen4.5';
}

function dataUriBytes(value: string): number {
  const comma = value.indexOf(',');
  return Math.floor(((value.length - comma - 1) * 3) / 4);
}

type MediaField = 'image' | 'endImage' | 'video' | 'audio';

function checkMedia(field: MediaField, value: string): InputProblem | null {
  if (value.startsWith(uploadUriScheme)) return null;
  if (value.startsWith('data:')) {
    return dataUriBytes(value) > runwayLimits.dataUriBytes ? { field: `input.${field}`, message: `data URIs are limited to ${runwayLimits.dataUriBytes / 1024 / 1024} MB by Runway` } : null;
  }
  if (!value.startsWith('https://')) return { field: `input.${field}`, message: 'Runway fetches inputs over https only' };
  return value.length > runwayLimits.uri ? { field: `input.${field}`, message: `URLs are limited to ${runwayLimits.uri} characters by Runway` } : null;
}

/** What each audio task needs beside the media checks every request gets. */
function checkAudioRequest(request: GenerationRequest<RunwayOptions>): InputProblem | null {
  const { input, options } = request;
  const endpoint = runwayAudioTasks[options.task].endpoint;
  const takesText = endpoint === 'text_to_speech' || endpoint === 'sound_effect';
  const takesVoice = (endpoint === 'text_to_speech' && resolveRunwayModel(request) !== 'seed_audio') || endpoint === 'speech_to_speech';
  if (options.model && isRunwayModel(options.model) && !(runwayAudioTasks[options.task].models as readonly string[]).includes(options.model)) {
    return { field: 'options.model', message: `${options.task} takes ${runwayAudioTasks[options.task].models.join(' or ')}` };
  }
  if (takesText && !input.text) return { field: 'input.text', message: 'is required' };
  if (!takesText && input.text) return { field: 'input.text', message: `is not used for ${options.task}` };
  if (input.image) return { field: 'input.image', message: 'is not used for AUDIO' };
  if (input.video && endpoint !== 'speech_to_speech') return { field: 'input.video', message: `is not used for ${options.task}` };
  if (!takesText && !input.audio && !input.video) return { field: 'input.audio', message: `${options.task} needs the source audio` };
  if (takesVoice && !runwayPresetOf(input.voice)) return { field: 'input.voice', message: `is not one of Runway's voice presets (${runwayVoicePresets.join(', ')})` };
  if (endpoint === 'voice_dubbing' && !options.targetLanguage) return { field: 'options.targetLanguage', message: 'is required for dubbing' };
  if (endpoint === 'sound_effect' && options.duration !== undefined && resolveRunwayModel(request) === 'seed_audio') return { field: 'options.duration', message: 'seed_audio picks its own length' };
  return null;
}

function checkMediaFields({ input }: GenerationRequest<RunwayOptions>): InputProblem | null {
  for (const field of ['image', 'endImage', 'video', 'audio'] as const) {
    const problem = input[field] ? checkMedia(field, input[field]) : null;
    if (problem) return problem;
  }
  return null;
}

/** What Runway would refuse with a 400, found before we spend a request on it. */
export function checkRunwayRequest(request: GenerationRequest<RunwayOptions>): InputProblem | null {
  const { input, options, type } = request;
  if ((input.text ?? '').length > runwayLimits.promptText) return { field: 'input.text', message: `must be at most ${runwayLimits.promptText} characters (promptText)` };
  if (type === 'AUDIO') return checkAudioRequest(request) ?? checkMediaFields(request);
  if (type === 'VIDEO' && !input.text && !input.image) return { field: 'input.text', message: 'a prompt text or an image is required' };
  if (type !== 'VIDEO' && !input.text) return { field: 'input.text', message: 'is required' };
  if (type !== 'VIDEO' && (input.video || input.image)) return { field: input.video ? 'input.video' : 'input.image', message: `is not used for ${type}` };
  if (input.audio) return { field: 'input.audio', message: `is not used for ${type}` };
  const model = resolveRunwayModel(request);
  if (type === 'VIDEO' && !makesVideo(model)) return { field: 'options.model', message: `${model} does not make video` };
  if (type === 'IMAGE' && !makesImages(model)) return { field: 'options.model', message: `${model} does not make images` };
  const rules = rulesFor(model, input);
  if (input.image && !rules.animatesImages) return { field: 'options.model', message: `${model} does not animate images` };
  if (rules.endpoint === 'image_to_video' && !input.image) return { field: 'input.image', message: `${model} animates an image: input.image is required` };
  if (rules.endpoint === 'video_to_video' && !input.video) return { field: 'input.video', message: `${model} edits a video: input.video is required` };
  if (rules.endpoint !== 'video_to_video' && input.video) return { field: 'input.video', message: `${model} does not take a video` };
  const mediaProblem = checkMediaFields(request);
  if (mediaProblem) return mediaProblem;
  if (options.aspectRatio && Object.keys(rules.ratios).length > 0 && !ratioFor(rules, options.aspectRatio)) {
    return { field: 'options.aspectRatio', message: `${model} supports ${Object.keys(rules.ratios).join(', ')}` };
  }
  if (!rules.durations) return null;
  const duration = durationFor(model, options.duration);
  if (!Number.isInteger(duration)) return { field: 'options.duration', message: 'must be a whole number of seconds for video' };
  const allowed = 'min' in rules.durations ? duration >= rules.durations.min && duration <= rules.durations.max : rules.durations.includes(duration);
  return allowed
    ? null
    : { field: 'options.duration', message: `${model} makes ${'min' in rules.durations ? `${rules.durations.min} to ${rules.durations.max}` : rules.durations.join(', ')} second videos` };
}

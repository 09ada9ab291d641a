import { z } from 'zod';
import { seedOption } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';
import { durationFor, type RunwayModel, ratioFor, rulesFor, runwayAspectRatios, runwayLimits, runwayModels, runwayPresetOf, runwayVoicePresets } from './runway-models.ts';

/** The seeds' model generations; each maps to a live Runway model (Gen-2 and Gen-3 are retired upstream). */
const versionAliases = ['gen-2', 'gen-3', 'gen-4'] as const;

export const runwayOptionsSchema = z.strictObject({
  model: z
    .enum([...runwayModels, ...versionAliases])
    .optional()
    .describe('Runway model id, or gen-2 / gen-3 / gen-4 to let the gateway pick a live model of that generation'),
  version: z.enum(versionAliases).optional().describe('Model generation: gen-2, gen-3 or gen-4'),
  duration: z.number().int().min(2).max(10).optional().describe(`Video length in seconds (default ${runwayLimits.defaultDuration}; Veo 8); sound effects take it too`),
  aspectRatio: z.enum(runwayAspectRatios).optional().describe("Aspect ratio or a Runway pixel ratio such as 1280:720 (default 16:9; video-to-video keeps the input's unless given)"),
  quality: z.enum(['standard', 'high', 'pro']).default('standard').describe('standard animates images with gen4_turbo; high and pro use gen4.5'),
  motionIntensity: z.enum(['low', 'medium', 'high']).optional().describe("Accepted for compatibility; Runway's current models take motion from the prompt"),
  audio: z.boolean().optional().describe('Veo 3.1: generate a soundtrack (default on; off costs less)'),
  task: z.enum(['speech', 'sound-effect']).default('speech').describe('For AUDIO: speech from the text, or the sound effect it describes'),
  seed: seedOption,
});
export type RunwayOptions = z.infer<typeof runwayOptionsSchema>;

const isRunwayModel = (model: string | undefined): model is RunwayModel => (runwayModels as readonly string[]).includes(model ?? '');

/** Picks Runway's model id from what the request holds and what the client asked for. */
export function resolveRunwayModel(request: GenerationRequest<RunwayOptions>): RunwayModel {
  const { type, input, options } = request;
  if (type === 'AUDIO') return options.task === 'sound-effect' ? 'eleven_text_to_sound_v2' : 'eleven_multilingual_v2';
  if (type === 'IMAGE') return options.model === 'gen4_image_turbo' && input.references?.length ? 'gen4_image_turbo' : 'gen4_image';
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

function checkMedia(field: 'image' | 'endImage' | 'video', value: string): InputProblem | null {
  if (value.startsWith('data:')) {
    return dataUriBytes(value) > runwayLimits.dataUriBytes ? { field: `input.${field}`, message: `data URIs are limited to ${runwayLimits.dataUriBytes / 1024 / 1024} MB by Runway` } : null;
  }
  if (!value.startsWith('https://')) return { field: `input.${field}`, message: 'Runway fetches inputs over https only' };
  return value.length > runwayLimits.uri ? { field: `input.${field}`, message: `URLs are limited to ${runwayLimits.uri} characters by Runway` } : null;
}

/** What Runway would refuse with a 400, found before we spend a request on it. */
export function checkRunwayRequest(request: GenerationRequest<RunwayOptions>): InputProblem | null {
  const { input, options, type } = request;
  if (type === 'VIDEO' && !input.text && !input.image) return { field: 'input.text', message: 'a prompt text or an image is required' };
  if (type !== 'VIDEO' && !input.text) return { field: 'input.text', message: 'is required' };
  if (type !== 'VIDEO' && (input.video || input.image)) return { field: input.video ? 'input.video' : 'input.image', message: `is not used for ${type}` };
  if (type === 'AUDIO' && options.task === 'speech' && !runwayPresetOf(input.voice))
    return { field: 'input.voice', message: `is not one of Runway's voice presets (${runwayVoicePresets.join(', ')})` };
  if ((input.text ?? '').length > runwayLimits.promptText) return { field: 'input.text', message: `must be at most ${runwayLimits.promptText} characters (promptText)` };
  const model = resolveRunwayModel(request);
  const rules = rulesFor(model, Boolean(input.image));
  if (input.image && !rules.animatesImages) return { field: 'options.model', message: `${model} does not animate images` };
  if (rules.endpoint === 'image_to_video' && !input.image) return { field: 'input.image', message: `${model} animates an image: input.image is required` };
  if (rules.endpoint === 'video_to_video' && !input.video) return { field: 'input.video', message: `${model} edits a video: input.video is required` };
  if (rules.endpoint !== 'video_to_video' && input.video) return { field: 'input.video', message: `${model} does not take a video` };
  for (const field of ['image', 'endImage', 'video'] as const) {
    const problem = input[field] ? checkMedia(field, input[field]) : null;
    if (problem) return problem;
  }
  if (options.aspectRatio && Object.keys(rules.ratios).length > 0 && !ratioFor(rules, options.aspectRatio)) {
    return { field: 'options.aspectRatio', message: `${model} supports ${Object.keys(rules.ratios).join(', ')}` };
  }
  if (!rules.durations) return null;
  const duration = durationFor(model, options.duration);
  const allowed = 'min' in rules.durations ? duration >= rules.durations.min && duration <= rules.durations.max : rules.durations.includes(duration);
  return allowed
    ? null
    : { field: 'options.duration', message: `${model} makes ${'min' in rules.durations ? `${rules.durations.min} to ${rules.durations.max}` : rules.durations.join(', ')} second videos` };
}

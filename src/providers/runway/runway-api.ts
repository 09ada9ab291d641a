import type { GenerationRequest, InputProblem } from '../spec.ts';

/** Runway's API version this adapter speaks (the X-Runway-Version header). */
export const runwayApiVersion = '2024-11-06';

export type RunwayEndpoint = 'text_to_video' | 'image_to_video' | 'video_to_video' | 'text_to_image' | 'text_to_speech' | 'sound_effect';

interface ModelRules {
  endpoint: RunwayEndpoint;
  /** Aspect ratio → Runway's pixel ratio; the pixel ratios themselves are accepted too. */
  ratios: Record<string, string>;
  durations?: { min: number; max: number } | number[];
}

const landscapeAndPortrait = { '16:9': '1280:720', '9:16': '720:1280' };
const gen4Ratios = { ...landscapeAndPortrait, '1:1': '960:960', '4:3': '1104:832', '3:4': '832:1104', '21:9': '1584:672' };
const imageRatios = { '16:9': '1920:1080', '9:16': '1080:1920', '1:1': '1024:1024', '4:3': '1440:1080', '3:4': '1080:1440', '21:9': '2112:912' };
const imagePixelRatios = ['1024:1024', '1080:1080', '1168:880', '1360:768', '1440:1080', '1080:1440', '1808:768', '1920:1080', '1080:1920', '2112:912', '1280:720', '720:1280', '720:720', '960:720', '720:960', '1680:720'];
const textToImageRatios = { ...imageRatios, ...Object.fromEntries(imagePixelRatios.map((ratio) => [ratio, ratio])) };
const veoRatios = { ...landscapeAndPortrait, '1920:1080': '1920:1080', '1080:1920': '1080:1920' };

/** What each Runway model accepts, from Runway's API reference (SDK type files) and the seed's model table. */
export const runwayModelRules: Record<string, ModelRules> = {
  'gen4.5': { endpoint: 'text_to_video', ratios: landscapeAndPortrait, durations: { min: 2, max: 10 } },
  'gen4.5:image': { endpoint: 'image_to_video', ratios: gen4Ratios, durations: { min: 2, max: 10 } },
  gen4_turbo: { endpoint: 'image_to_video', ratios: gen4Ratios, durations: { min: 2, max: 10 } },
  gen3a_turbo: { endpoint: 'image_to_video', ratios: { '16:9': '1280:768', '9:16': '768:1280' }, durations: [5, 10] },
  veo3: { endpoint: 'text_to_video', ratios: veoRatios, durations: [8] },
  'veo3.1': { endpoint: 'text_to_video', ratios: veoRatios, durations: [4, 6, 8] },
  'veo3.1_fast': { endpoint: 'text_to_video', ratios: veoRatios, durations: [4, 6, 8] },
  gen4_aleph: { endpoint: 'video_to_video', ratios: gen4Ratios },
  gen4_image: { endpoint: 'text_to_image', ratios: textToImageRatios },
  gen4_image_turbo: { endpoint: 'text_to_image', ratios: textToImageRatios },
  eleven_multilingual_v2: { endpoint: 'text_to_speech', ratios: {} },
  eleven_text_to_sound_v2: { endpoint: 'sound_effect', ratios: {} },
};

/** Veo models animate images through image_to_video too. */
const animatesImages = new Set(['gen4.5', 'gen4_turbo', 'gen3a_turbo', 'veo3', 'veo3.1', 'veo3.1_fast']);

/** Runway's limits on inputs: prompt length and data URI sizes (bytes after decoding). */
export const runwayLimits = { promptText: 1000, imageDataUri: 5 * 1024 * 1024, mediaDataUri: 16 * 1024 * 1024, uri: 2048 };

export interface RunwayTaskRequest {
  endpoint: RunwayEndpoint;
  body: Record<string, unknown>;
}

function rulesFor(model: string, hasImage: boolean): ModelRules | undefined {
  return runwayModelRules[hasImage && model === 'gen4.5' ? 'gen4.5:image' : model];
}

function ratioFor(rules: ModelRules, aspectRatio: string): string | undefined {
  if (rules.ratios[aspectRatio]) return rules.ratios[aspectRatio];
  return Object.values(rules.ratios).includes(aspectRatio) ? aspectRatio : undefined;
}

function dataUriBytes(value: string): number {
  const comma = value.indexOf(',');
  return Math.floor(((value.length - comma - 1) * 3) / 4);
}

/** What Runway would refuse with a 400, found before we spend a request on it. */
export function checkRunwayRequest(request: GenerationRequest, model: string): InputProblem | null {
  const { input, options } = request;
  if ((input.text ?? '').length > runwayLimits.promptText) return { field: 'input.text', message: `must be at most ${runwayLimits.promptText} characters (promptText)` };
  const rules = rulesFor(model, Boolean(input.image));
  if (!rules) return { field: 'options.model', message: `${model} is not a Runway model this gateway supports` };
  if (input.image && !animatesImages.has(model)) return { field: 'options.model', message: `${model} does not animate images` };
  if (rules.endpoint === 'image_to_video' && !input.image) return { field: 'input.image', message: `${model} animates an image: input.image is required` };
  for (const field of ['image', 'endImage', 'video'] as const) {
    const value = input[field];
    if (!value) continue;
    const limit = field === 'video' ? runwayLimits.mediaDataUri : runwayLimits.imageDataUri;
    if (value.startsWith('data:') && dataUriBytes(value) > limit) return { field: `input.${field}`, message: `data URIs are limited to ${limit / 1024 / 1024} MB by Runway` };
    if (!value.startsWith('data:') && !value.startsWith('https://')) return { field: `input.${field}`, message: 'Runway fetches inputs over https only' };
  }
  const aspectRatio = String(options.aspectRatio ?? '16:9');
  if (Object.keys(rules.ratios).length > 0 && !ratioFor(rules, aspectRatio)) {
    return { field: 'options.aspectRatio', message: `${model} supports ${Object.keys(rules.ratios).join(', ')}` };
  }
  const duration = durationFor(model, options.duration);
  if (Array.isArray(rules.durations) && !rules.durations.includes(duration)) return { field: 'options.duration', message: `${model} makes ${rules.durations.join(', ')} second videos` };
  if (rules.durations && !Array.isArray(rules.durations) && (duration < rules.durations.min || duration > rules.durations.max)) {
    return { field: 'options.duration', message: `${model} makes ${rules.durations.min} to ${rules.durations.max} second videos` };
  }
  return null;
}

/** The duration asked for, or the model's usual one (Veo makes 8-second clips, the rest 5). */
export function durationFor(model: string, duration: unknown): number {
  if (typeof duration === 'number') return duration;
  return model.startsWith('veo') ? 8 : 5;
}

/** Every ratio (shape or pixel size) some Runway model accepts, for the option's allowed values. */
export const runwayAspectRatios = [...new Set(Object.values(runwayModelRules).flatMap((rules) => [...Object.keys(rules.ratios), ...Object.values(rules.ratios)]))] as [string, ...string[]];

/** Presets Runway's speech models accept, by the names clients are likely to send. */
const voicePreset = (voice: string | undefined) => (voice ? voice.charAt(0).toUpperCase() + voice.slice(1).toLowerCase() : 'Maya');

/** Our unified request as the body of the Runway endpoint that makes it. Assumes `checkRunwayRequest` passed. */
export function buildRunwayTask(request: GenerationRequest, model: string): RunwayTaskRequest {
  const { input, options } = request;
  const rules = rulesFor(model, Boolean(input.image))!;
  const ratio = ratioFor(rules, String(options.aspectRatio ?? '16:9'));
  const seed = typeof options.seed === 'number' ? { seed: options.seed } : {};
  const promptText = input.text ? { promptText: input.text } : {};
  switch (rules.endpoint) {
    case 'text_to_video':
      return { endpoint: 'text_to_video', body: { model, promptText: input.text, ratio, duration: durationFor(model, options.duration), ...seed } };
    case 'image_to_video': {
      const promptImage = input.endImage ? [{ uri: input.image, position: 'first' }, { uri: input.endImage, position: 'last' }] : input.image;
      return { endpoint: 'image_to_video', body: { model, promptImage, ...promptText, ratio, duration: durationFor(model, options.duration), ...seed } };
    }
    case 'video_to_video':
      return { endpoint: 'video_to_video', body: { model, videoUri: input.video, ...promptText, ratio, ...seed, ...(input.references?.length ? { references: input.references.map((uri) => ({ type: 'image', uri })) } : {}) } };
    case 'text_to_image':
      return { endpoint: 'text_to_image', body: { model, promptText: input.text, ratio, ...seed, ...(input.references?.length ? { referenceImages: input.references.map((uri) => ({ uri })) } : {}) } };
    case 'text_to_speech':
      return { endpoint: 'text_to_speech', body: { model, promptText: input.text, voice: { type: 'runway-preset', presetId: voicePreset(input.voice) } } };
    case 'sound_effect':
      return { endpoint: 'sound_effect', body: { model, promptText: input.text, ...(options.duration ? { duration: options.duration } : {}) } };
  }
}

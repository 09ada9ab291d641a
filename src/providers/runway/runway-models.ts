import { runwayCatalog } from './runway-catalog.ts';
import type { RunwayCatalogEntry } from './runway-catalog-types.ts';

/** Runway's API version this adapter speaks (the X-Runway-Version header). */
export const runwayApiVersion = '2024-11-06';

export type RunwayEndpoint = 'text_to_video' | 'image_to_video' | 'video_to_video' | 'text_to_image' | 'text_to_speech' | 'sound_effect' | 'voice_isolation' | 'voice_dubbing' | 'speech_to_speech';

export interface ModelRules {
  endpoint: RunwayEndpoint;
  /** The body fields this model takes at this endpoint (from the SDK's types). */
  fields: readonly string[];
  /** Aspect ratio → the value Runway takes; those values themselves are accepted too. Empty where it takes none. */
  ratios: Record<string, string>;
  durations?: { min: number; max: number } | readonly number[];
  defaultDuration?: number;
  /** Whether the model also animates an image through image_to_video. */
  animatesImages?: boolean;
}

export type RunwayModel = keyof typeof runwayCatalog;
/** Every model the SDK's create endpoints name (gen3a_turbo, gen4_aleph and veo3 are retired upstream and gone from it). */
export const runwayModels = Object.keys(runwayCatalog) as [RunwayModel, ...RunwayModel[]];
const catalogOf = (model: RunwayModel): Partial<Record<RunwayEndpoint, RunwayCatalogEntry>> => runwayCatalog[model];

/** gen4_image's shapes at 1080p (its price tier), as clients of this gateway have always had them. */
const gen4ImageShapes = { '16:9': '1920:1080', '9:16': '1080:1920', '1:1': '1024:1024', '4:3': '1440:1080', '3:4': '1080:1440', '21:9': '2112:912' };
/** aleph2 letterboxes to a target aspect ratio (`targetAspectRatio`) instead of taking a pixel ratio. */
const alephTargets = Object.fromEntries(['16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '21:9'].map((ratio) => [ratio, ratio]));
const commonShapes = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', '3:2', '2:3'];

/** Runway's documented duration ranges where the types say only "a number"; other models take 2-15 seconds. */
const durationRanges: Partial<Record<RunwayModel, { min: number; max: number }>> = {
  'gen4.5': { min: 2, max: 10 },
  gen4_turbo: { min: 2, max: 10 },
  gemini_omni_flash: { min: 3, max: 10 },
  'gemini_omni_flash_1.1': { min: 3, max: 10 },
  eleven_text_to_sound_v2: { min: 0.5, max: 30 },
};
const anyDuration = { min: 2, max: 15 };

const aspectOf = (ratio: string) => {
  const [width, height] = ratio.split(':').map(Number) as [number, number];
  return width > 0 && height > 0 ? width / height : Number.NaN;
};

/**
 * The pixel ratio a shape such as 16:9 means for a model: among its ratios of that shape, the smallest whose short side
 * reaches `shortSide` (720 for video, 1080 for images), else the largest.
 */
function pixelRatioForShape(values: readonly string[], shape: string, shortSide: number): string | undefined {
  const candidates = values
    .filter((value) => Math.abs(aspectOf(value) / aspectOf(shape) - 1) < 0.02)
    .map((value) => ({ value, short: Math.min(...value.split(':').map(Number)) }))
    .sort((a, b) => a.short - b.short);
  return (candidates.find((candidate) => candidate.short >= shortSide) ?? candidates.at(-1))?.value;
}

function ratiosOf(model: RunwayModel, endpoint: RunwayEndpoint, entry: RunwayCatalogEntry): Record<string, string> {
  if (model === 'aleph2') return alephTargets;
  const values = entry.ratios?.values ?? [];
  if (values.length === 0) return {};
  const shortSide = endpoint === 'text_to_image' ? 1080 : 720;
  const shapes = model === 'gen4_image' || model === 'gen4_image_turbo' ? gen4ImageShapes : {};
  const derived = Object.fromEntries(commonShapes.flatMap((shape) => (values.includes(shape) ? [] : [[shape, pixelRatioForShape(values, shape, shortSide)]])).filter(([, value]) => value));
  return { ...Object.fromEntries(values.map((value) => [value, value])), ...derived, ...shapes };
}

function durationsOf(model: RunwayModel, entry: RunwayCatalogEntry): ModelRules['durations'] {
  if (!entry.durations) return undefined;
  if (entry.durations.values.length > 0 && !entry.durations.anyNumber) return entry.durations.values;
  return durationRanges[model] ?? anyDuration;
}

const rulesCache = new Map<string, ModelRules>();

/** What one model takes at one of its endpoints (worked out once: requests and worker steps ask for it often). */
export function modelRules(model: RunwayModel, endpoint: RunwayEndpoint): ModelRules {
  const key = `${model} ${endpoint}`;
  let rules = rulesCache.get(key);
  if (!rules) {
    rules = workOutRules(model, endpoint);
    rulesCache.set(key, rules);
  }
  return rules;
}

function workOutRules(model: RunwayModel, endpoint: RunwayEndpoint): ModelRules {
  const entry = catalogOf(model)[endpoint]!;
  const durations = durationsOf(model, entry);
  return {
    endpoint,
    fields: entry.fields,
    ratios: ratiosOf(model, endpoint, entry),
    durations,
    defaultDuration: durations && !('min' in durations) ? Math.max(...durations) : undefined,
    animatesImages: Boolean(catalogOf(model).image_to_video),
  };
}

/** The endpoints a model has, in the order a request without media would pick them. */
export const endpointsOf = (model: RunwayModel) => Object.keys(catalogOf(model)) as RunwayEndpoint[];
export const makesVideo = (model: RunwayModel) => endpointsOf(model).some((endpoint) => endpoint.endsWith('_to_video'));
export const makesImages = (model: RunwayModel) => endpointsOf(model).includes('text_to_image');

/** What `options.task` asks of Runway's audio endpoints: the endpoint, the models it takes (the first is the default). */
export const runwayAudioTasks = {
  speech: { endpoint: 'text_to_speech', models: ['eleven_multilingual_v2', 'eleven_v3', 'seed_audio'] },
  'sound-effect': { endpoint: 'sound_effect', models: ['eleven_text_to_sound_v2', 'seed_audio'] },
  'voice-isolation': { endpoint: 'voice_isolation', models: ['eleven_voice_isolation'] },
  dubbing: { endpoint: 'voice_dubbing', models: ['eleven_voice_dubbing'] },
  'speech-to-speech': { endpoint: 'speech_to_speech', models: ['eleven_multilingual_sts_v2'] },
} as const satisfies Record<string, { endpoint: RunwayEndpoint; models: readonly RunwayModel[] }>;
export type RunwayAudioTask = keyof typeof runwayAudioTasks;
export const runwayAudioTaskNames = Object.keys(runwayAudioTasks) as [RunwayAudioTask, ...RunwayAudioTask[]];

/** The languages voice_dubbing dubs into (`targetLang`, SDK 4.20.1). */
export const runwayDubbingLanguages = [
  ...['en', 'hi', 'pt', 'zh', 'es', 'fr', 'de', 'ja', 'ar', 'ru', 'ko', 'id', 'it', 'nl', 'tr'],
  ...['pl', 'sv', 'fil', 'ms', 'ro', 'uk', 'el', 'cs', 'da', 'fi', 'bg', 'hr', 'sk', 'ta'],
] as const;

/** Runway's limits on inputs: prompt length (UTF-16 units), data URI sizes (bytes after decoding), URL length. */
export const runwayLimits = {
  promptText: 1000,
  dataUriBytes: 5 * 1024 * 1024,
  uri: 2048,
  keyframes: 5,
  defaultDuration: 5,
  /** Uploads through /v1/uploads (the seed's size table). */
  uploadBytes: 200 * 1024 * 1024,
  /** Source audio the price of isolation, dubbing and speech-to-speech is estimated for when the client gives no length. */
  assumedSourceSeconds: 60,
};

/**
 * The endpoint a request's media choose for a model, and what the model takes there: video_to_video for a video,
 * image_to_video for an image, else text_to_video (or the model's only endpoint, such as gen4_turbo's).
 */
export function rulesFor(model: RunwayModel, input: { image?: string | null; video?: string | null }): ModelRules {
  const endpoints = endpointsOf(model);
  const wanted: RunwayEndpoint = input.video ? 'video_to_video' : input.image ? 'image_to_video' : 'text_to_video';
  return modelRules(model, endpoints.includes(wanted) ? wanted : endpoints[0]!);
}

export function ratioFor(rules: ModelRules, aspectRatio: string): string | undefined {
  if (rules.ratios[aspectRatio]) return rules.ratios[aspectRatio];
  return Object.values(rules.ratios).includes(aspectRatio) ? aspectRatio : undefined;
}

/** The duration asked for, or the model's usual one (Veo makes 8-second clips, the rest 5). */
export function durationFor(model: RunwayModel, duration: unknown): number {
  if (typeof duration === 'number') return duration;
  return modelRules(model, endpointsOf(model)[0]!).defaultDuration ?? runwayLimits.defaultDuration;
}

/** "2-10 seconds" or "4, 6 or 8 seconds": limit texts come from the same rules the checks use. */
export function describeDurations(durations: NonNullable<ModelRules['durations']>): string {
  if ('min' in durations) return `${durations.min}-${durations.max} seconds`;
  return `${durations.slice(0, -1).join(', ')} or ${durations.at(-1)} seconds`;
}

/** Runway's speech presets (SDK 4.20.1, text_to_speech `voice.presetId`); the first is the default. */
export const runwayVoicePresets = [
  'Maya',
  'Arjun',
  'Serene',
  'Bernard',
  'Billy',
  'Mark',
  'Clint',
  'Mabel',
  'Chad',
  'Leslie',
  'Eleanor',
  'Elias',
  'Elliot',
  'Grungle',
  'Brodie',
  'Sandra',
  'Kirk',
  'Kylie',
  'Lara',
  'Lisa',
  'Malachi',
  'Marlene',
  'Martin',
  'Miriam',
  'Monster',
  'Paula',
  'Pip',
  'Rusty',
  'Ragnar',
  'Xylar',
  'Maggie',
  'Jack',
  'Katie',
  'Noah',
  'James',
  'Rina',
  'Ella',
  'Mariah',
  'Frank',
  'Claudia',
  'Niki',
  'Vincent',
  'Kendrick',
  'Myrna',
  'Tom',
  'Wanda',
  'Benjamin',
  'Kiana',
  'Rachel',
] as const;

/** The preset a client's voice names, whatever its case, or undefined when it names none. */
export const runwayPresetOf = (voice: string | undefined) => (voice ? runwayVoicePresets.find((preset) => preset.toLowerCase() === voice.toLowerCase()) : runwayVoicePresets[0]);

/** Every ratio (shape or pixel size) some Runway model accepts, for the option's allowed values. */
export const runwayAspectRatios = [...new Set(runwayModels.flatMap((model) => endpointsOf(model).flatMap((endpoint) => Object.keys(modelRules(model, endpoint).ratios))))] as [string, ...string[]];

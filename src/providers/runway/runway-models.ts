/** Runway's API version this adapter speaks (the X-Runway-Version header). */
export const runwayApiVersion = '2024-11-06';

export type RunwayEndpoint = 'text_to_video' | 'image_to_video' | 'video_to_video' | 'text_to_image' | 'text_to_speech' | 'sound_effect';

export interface ModelRules {
  endpoint: RunwayEndpoint;
  /** Aspect ratio → Runway's pixel ratio; the pixel ratios themselves are accepted too. */
  ratios: Record<string, string>;
  durations?: { min: number; max: number } | readonly number[];
  defaultDuration?: number;
  /** Whether the model also animates an image through image_to_video. */
  animatesImages?: boolean;
}

const landscapeAndPortrait = { '16:9': '1280:720', '9:16': '720:1280' };
const gen4Ratios = { ...landscapeAndPortrait, '1:1': '960:960', '4:3': '1104:832', '3:4': '832:1104', '21:9': '1584:672' };
const imagePixelRatios = [
  '1024:1024',
  '1080:1080',
  '1168:880',
  '1360:768',
  '1440:1080',
  '1080:1440',
  '1808:768',
  '1920:1080',
  '1080:1920',
  '2112:912',
  '1280:720',
  '720:1280',
  '720:720',
  '960:720',
  '720:960',
  '1680:720',
];
const imageRatios = {
  ...{ '16:9': '1920:1080', '9:16': '1080:1920', '1:1': '1024:1024', '4:3': '1440:1080', '3:4': '1080:1440', '21:9': '2112:912' },
  ...Object.fromEntries(imagePixelRatios.map((ratio) => [ratio, ratio])),
};
const veoRatios = { ...landscapeAndPortrait, '1920:1080': '1920:1080', '1080:1920': '1080:1920' };
/** aleph2 letterboxes to a target aspect ratio instead of taking a pixel ratio. */
const alephTargets = Object.fromEntries(['16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '21:9'].map((ratio) => [ratio, ratio]));
const veoDurations = [4, 6, 8] as const;

/**
 * What each current Runway model accepts, from the @runwayml/sdk 4.20.1 type files (generated from Runway's
 * OpenAPI document). gen3a_turbo, gen4_aleph and veo3 are retired upstream and not listed.
 */
export const runwayModelRules = {
  'gen4.5': { endpoint: 'text_to_video', ratios: landscapeAndPortrait, durations: { min: 2, max: 10 }, animatesImages: true },
  gen4_turbo: { endpoint: 'image_to_video', ratios: gen4Ratios, durations: { min: 2, max: 10 }, animatesImages: true },
  'veo3.1': { endpoint: 'text_to_video', ratios: veoRatios, durations: veoDurations, defaultDuration: 8, animatesImages: true },
  'veo3.1_fast': { endpoint: 'text_to_video', ratios: veoRatios, durations: veoDurations, defaultDuration: 8, animatesImages: true },
  aleph2: { endpoint: 'video_to_video', ratios: alephTargets },
  gen4_image: { endpoint: 'text_to_image', ratios: imageRatios },
  gen4_image_turbo: { endpoint: 'text_to_image', ratios: imageRatios },
  eleven_multilingual_v2: { endpoint: 'text_to_speech', ratios: {} },
  eleven_text_to_sound_v2: { endpoint: 'sound_effect', ratios: {} },
} as const satisfies Record<string, ModelRules>;

export type RunwayModel = keyof typeof runwayModelRules;
export const runwayModels = Object.keys(runwayModelRules) as [RunwayModel, ...RunwayModel[]];

/** gen4.5 takes more ratios when it animates an image than when it starts from text. */
const gen45ImageRules: ModelRules = { ...runwayModelRules['gen4.5'], endpoint: 'image_to_video', ratios: gen4Ratios };

/** Runway's limits on inputs: prompt length (UTF-16 units), data URI sizes (bytes after decoding), URL length. */
export const runwayLimits = { promptText: 1000, dataUriBytes: 5 * 1024 * 1024, uri: 2048, keyframes: 5, defaultDuration: 5 };

export function rulesFor(model: RunwayModel, hasImage: boolean): ModelRules {
  const rules: ModelRules = runwayModelRules[model];
  if (!hasImage || rules.endpoint !== 'text_to_video') return rules;
  return model === 'gen4.5' ? gen45ImageRules : { ...rules, endpoint: 'image_to_video' };
}

export function ratioFor(rules: ModelRules, aspectRatio: string): string | undefined {
  if (rules.ratios[aspectRatio]) return rules.ratios[aspectRatio];
  return Object.values(rules.ratios).includes(aspectRatio) ? aspectRatio : undefined;
}

/** The duration asked for, or the model's usual one (Veo makes 8-second clips, the rest 5). */
export function durationFor(model: RunwayModel, duration: unknown): number {
  if (typeof duration === 'number') return duration;
  return (runwayModelRules[model] as ModelRules).defaultDuration ?? runwayLimits.defaultDuration;
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
export const runwayAspectRatios = [...new Set(Object.values(runwayModelRules).flatMap((rules: ModelRules) => [...Object.keys(rules.ratios), ...Object.values(rules.ratios)]))] as [string, ...string[]];

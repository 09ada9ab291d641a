import { isFetchableUrl } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';
import type { HeygenOptions } from './heygen-options.ts';

/** Body language as a motion prompt; HeyGen takes motion prompts for video avatars only on Avatar V. */
const gestureMotion: Record<HeygenOptions['gesture'], string | null> = {
  neutral: null,
  friendly: 'Warm, open gestures with a friendly smile',
  professional: 'Calm, measured hand gestures, composed posture',
  energetic: 'Lively, expressive hand gestures with enthusiasm',
};

/** HeyGen fetches lip-sync audio itself, by URL. */
export function checkHeygenRoute({ input }: GenerationRequest): InputProblem | null {
  return input.audio && !isFetchableUrl(input.audio) ? { field: 'input.audio', message: 'HeyGen fetches audio by https URL (not a data URI)' } : null;
}

/** A colour is a colour, an https URL an image; named scenes (modern_office…) have no v3 equivalent and keep the avatar's own background. */
function backgroundOf(background: string) {
  if (/^#[0-9a-f]{6}$/i.test(background)) return { background: { type: 'color', value: background } };
  if (background.startsWith('https://')) return { background: { type: 'image', url: background } };
  return {};
}

/** The body of `POST /v3/videos` for an avatar video (HeyGen's v3 reference). */
export function buildHeygenVideo({ input, options }: GenerationRequest<HeygenOptions>, generationId: string) {
  const speech = input.audio ? { audio_url: input.audio } : { script: input.text, ...(input.voice ? { voice_id: input.voice } : {}), voice_settings: { speed: options.speed } };
  const motion = options.engine === 'avatar_v' ? gestureMotion[options.gesture] : null;
  return {
    type: 'avatar',
    avatar_id: options.avatarId,
    ...speech,
    aspect_ratio: options.aspectRatio,
    resolution: options.resolution,
    engine: { type: options.engine },
    ...backgroundOf(options.background),
    ...(options.caption ? { caption: { file_format: 'srt', style: 'default' } } : {}),
    ...(motion ? { motion_prompt: motion } : {}),
    title: generationId,
    callback_id: generationId,
  };
}

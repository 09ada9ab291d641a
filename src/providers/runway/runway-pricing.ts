import type { GenerationRequest, Quote } from '../spec.ts';
import { durationFor, makesImages, type RunwayModel, ratioFor, rulesFor, runwayLimits } from './runway-models.ts';
import { type RunwayOptions, resolveRunwayModel } from './runway-options.ts';

/** What one Runway credit costs (Runway sells credits at US$0.01). */
export const runwayCreditUsd = 0.01;

/**
 * Runway's list prices in its credits (runwayml/skills `rw-api-reference`, 2026-04): per second of video,
 * per image, per 50 characters of speech, per sound effect, one credit per so many seconds of source audio
 * (isolation, dubbing, speech-to-speech). aleph2, eleven_v3 and seed_audio have no published price yet: gen4_aleph's
 * and eleven_multilingual_v2's are assumed; every task settles to the cost Runway reports when it finishes.
 */
export const runwayCredits = {
  'gen4.5': { perSecond: 12 },
  gen4_turbo: { perSecond: 5 },
  'veo3.1': { perSecond: 40, perSecondWithoutAudio: 20 },
  'veo3.1_fast': { perSecond: 15, perSecondWithoutAudio: 10 },
  aleph2: { perSecond: 15 },
  gen4_image: { perImage720p: 5, perImage1080p: 8 },
  gen4_image_turbo: { perImage720p: 2, perImage1080p: 2 },
  eleven_multilingual_v2: { per50Characters: 1 },
  eleven_v3: { per50Characters: 1 },
  seed_audio: { per50Characters: 1 },
  eleven_text_to_sound_v2: { perSound: 2 },
  eleven_voice_isolation: { perSourceSeconds: 6 },
  eleven_voice_dubbing: { perSourceSeconds: 2 },
  eleven_multilingual_sts_v2: { perSourceSeconds: 3 },
  seedance2: { perSecond: 36 },
  'gemini_2.5_flash': { perImage720p: 5, perImage1080p: 5 },
} as const satisfies Partial<Record<RunwayModel, Record<string, number>>>;

/**
 * Models without a published price are reserved at the dearest known rate of their kind (Veo 3.1 with audio for video,
 * gen4_image at 1080p for images) and settled to the cost Runway reports, so a reservation always covers the charge.
 */
const unpublishedVideo = { perSecond: 40 };
const unpublishedImage = { perImage720p: 8, perImage1080p: 8 };
const priceOf = (model: RunwayModel): Record<string, number> =>
  (runwayCredits as Partial<Record<RunwayModel, Record<string, number>>>)[model] ?? (makesImages(model) ? unpublishedImage : unpublishedVideo);

/** Runway bills its images at 1080p when the short side is above 720 pixels. */
const is1080p = (pixelRatio: string | undefined) => Math.min(...(pixelRatio ?? '1920:1080').split(':').map(Number)) > 720;

function runwayCreditsFor(model: RunwayModel, request: GenerationRequest<RunwayOptions>): number {
  const { options, input } = request;
  const price = priceOf(model);
  if (price.per50Characters) return Math.max(1, Math.ceil((input.text ?? '').length / 50)) * price.per50Characters;
  if (price.perSound) return price.perSound;
  if (price.perSourceSeconds) return Math.max(1, Math.ceil((options.duration ?? runwayLimits.assumedSourceSeconds) / price.perSourceSeconds));
  if (price.perImage1080p) {
    const ratio = ratioFor(rulesFor(model, {}), options.aspectRatio ?? '1:1');
    return is1080p(ratio) ? price.perImage1080p : price.perImage720p!;
  }
  const perSecond = options.audio === false && price.perSecondWithoutAudio ? price.perSecondWithoutAudio : price.perSecond!;
  return perSecond * durationFor(model, options.duration);
}

export function quoteRunway(request: GenerationRequest<RunwayOptions>, markup: number): Quote {
  const model = resolveRunwayModel(request);
  const seconds = durationFor(model, request.options.duration);
  const estimatedSeconds = request.type === 'VIDEO' ? 30 + seconds * 8 : request.type === 'IMAGE' ? 15 : 5;
  return { usd: runwayCreditsFor(model, request) * runwayCreditUsd * markup, estimatedSeconds, model };
}

/**
 * GWM-1 realtime avatar sessions, in Runway credits per minute. Runway's API reference gives no price for them; this
 * is a third-party comparison's figure (about US$0.21 a minute), so sessions are reserved at it and settled by length.
 */
export const runwayRealtimeCreditsPerMinute = 21;
/** Runway ends sessions after five minutes. */
export const runwayRealtimeMaxSeconds = 300;

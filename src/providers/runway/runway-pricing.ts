import type { GenerationRequest, Quote } from '../spec.ts';
import { durationFor, type RunwayModel, ratioFor, rulesFor } from './runway-models.ts';
import { type RunwayOptions, resolveRunwayModel } from './runway-options.ts';

/** What one Runway credit costs (Runway sells credits at US$0.01). */
export const runwayCreditUsd = 0.01;

/**
 * Runway's list prices in its credits (runwayml/skills `rw-api-reference`, 2026-04): per second of video,
 * per image, per 50 characters of speech, per sound effect. aleph2 has no published price yet: gen4_aleph's
 * is assumed; every task settles to the cost Runway reports when it finishes.
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
  eleven_text_to_sound_v2: { perSound: 2 },
} as const satisfies Record<RunwayModel, Record<string, number>>;

/** Runway bills its images at 1080p when the short side is above 720 pixels. */
const is1080p = (pixelRatio: string | undefined) => Math.min(...(pixelRatio ?? '1920:1080').split(':').map(Number)) > 720;

function runwayCreditsFor(model: RunwayModel, request: GenerationRequest<RunwayOptions>): number {
  const { options, input } = request;
  const price: Record<string, number> = runwayCredits[model];
  if (price.per50Characters) return Math.max(1, Math.ceil((input.text ?? '').length / 50)) * price.per50Characters;
  if (price.perSound) return price.perSound;
  if (price.perImage1080p) {
    const ratio = ratioFor(rulesFor(model, false), options.aspectRatio ?? '1:1');
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

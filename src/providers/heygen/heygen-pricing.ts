import { speechSeconds } from '../shared/option-helpers.ts';
import type { GenerationRequest, Quote } from '../spec.ts';
import type { HeygenEngine, HeygenOptions } from './heygen-options.ts';

/**
 * US$ per second of video, HeyGen's pay-as-you-go API wallet (developers.heygen.com pricing, 2026), at the
 * digital-twin rate: Avatar V and IV $0.0667, Avatar III $0.0167 (photo avatars cost less on IV; the reservation
 * takes the higher rate).
 */
const usdPerSecond: Record<HeygenEngine, number> = { avatar_v: 0.0667, avatar_iv: 0.0667, avatar_iii: 0.0167 };

export function quoteHeygen({ input, options }: GenerationRequest<HeygenOptions>): Quote {
  const seconds = speechSeconds(input.text);
  return { usd: seconds * usdPerSecond[options.engine], estimatedSeconds: 60 + seconds * 4, model: options.engine };
}

import type { GenerationRequest, Quote } from '../spec.ts';
import { isHailuo, type MinimaxOptions, resolutionOf } from './minimax-options.ts';

/**
 * US$ per 6-second clip. 01 series $0.43 (S2V-01 $0.65): ComfyUI's pass-through list. Hailuo-02 / 2.3:
 * MiniMax's pay-as-you-go page as remembered (768p $0.28, 1080p $0.49, 512p $0.10; not re-verified);
 * 2.3-Fast about two thirds of it. A 10-second clip costs 10/6 of a 6-second one.
 */
const usdPerSixSeconds = { '512p': 0.1, '720p': 0.43, '768p': 0.28, '1080p': 0.49 };
const fastDiscount = 2 / 3;
const s2vPerSixSeconds = 0.65;

export function quoteMinimax({ options }: GenerationRequest<MinimaxOptions>): Quote {
  const resolution = resolutionOf(options);
  const base = options.model === 'S2V-01' ? s2vPerSixSeconds : usdPerSixSeconds[resolution] * (options.model === 'MiniMax-Hailuo-2.3-Fast' ? fastDiscount : 1);
  const estimatedSeconds = resolution === '1080p' ? 300 : isHailuo(options.model) ? 180 : 240;
  return { usd: (base * options.duration) / 6, estimatedSeconds, model: options.model };
}

import type { GenerationRequest, Quote } from '../spec.ts';
import { type KlingModel, type KlingOptions, klingMasterModels } from './kling-options.ts';

/**
 * US$ per 5-second clip. v1/v1-5/v1-6 and the master models: ComfyUI's pass-through price list (mid-2025).
 * Newer models have no published per-clip price; new-api's unit table (std 2 units, pro 3.5 units at about
 * $0.14 a unit) is used for them.
 */
const usdPerFiveSeconds: Record<KlingModel, { std: number; pro: number }> = {
  'kling-v1': { std: 0.14, pro: 0.49 },
  'kling-v1-5': { std: 0.28, pro: 0.49 },
  'kling-v1-6': { std: 0.28, pro: 0.49 },
  'kling-v2-master': { std: 1.4, pro: 1.4 },
  'kling-v2-1-master': { std: 1.4, pro: 1.4 },
  'kling-v2-1': { std: 0.28, pro: 0.49 },
  'kling-v2-5-turbo': { std: 0.28, pro: 0.49 },
  'kling-v2-6': { std: 0.28, pro: 0.49 },
  'kling-v3': { std: 0.28, pro: 0.49 },
};

export function quoteKling({ options }: GenerationRequest<KlingOptions>): Quote {
  const price = usdPerFiveSeconds[options.model][options.mode];
  const slow = options.mode === 'pro' || klingMasterModels.includes(options.model);
  return { usd: (price * options.duration) / 5, estimatedSeconds: slow ? 240 : 120, model: options.model };
}

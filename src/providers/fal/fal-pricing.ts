import type { GenerationRequest, Quote } from '../spec.ts';
import { klingTierOf } from './fal-models.ts';

/** Kling on fal, US$ per second by tier (fal's Kling model pages, not re-verified). */
const klingUsdPerSecond = { standard: 0.05, pro: 0.095, master: 0.28 };

/** fal's own price for a hosted request, where it differs from the vendor's list. */
export const falQuotes: Record<string, (request: GenerationRequest) => Quote> = {
  kling: ({ options }) => ({ usd: klingUsdPerSecond[klingTierOf(options)] * Number(options.duration), estimatedSeconds: 180, model: String(options.model) }),
};

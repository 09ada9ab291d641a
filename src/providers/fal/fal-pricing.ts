import type { GenerationRequest, OptionsOf, Quote } from '../spec.ts';
import { klingTierOf } from './fal-models.ts';

/** Kling on fal, US$ per second by tier (fal's Kling model pages, not re-verified). */
const klingUsdPerSecond = { standard: 0.05, pro: 0.095, master: 0.28 };

/** fal's own price for Kling, which differs from Kling's list. */
export const quoteKlingOnFal = ({ options }: GenerationRequest<OptionsOf<'kling'>>): Quote => ({
  usd: klingUsdPerSecond[klingTierOf(options)] * options.duration,
  estimatedSeconds: 180,
  model: options.model,
});

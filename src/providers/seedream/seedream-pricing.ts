import type { GenerationRequest, Quote } from '../spec.ts';
import type { SeedreamOptions } from './seedream-options.ts';

/** US$ per image: fal's and Replicate's list price for Seedream 4.0 ($0.03). */
const usdPerImage = 0.03;

export function quoteSeedream({ options }: GenerationRequest<SeedreamOptions>): Quote {
  return { usd: usdPerImage, estimatedSeconds: 15, model: options.model };
}

import type { GenerationRequest, Quote } from '../spec.ts';
import type { SeedanceOptions } from './seedance-options.ts';

/** Seedance is billed per video token, (width × height × 24 fps × seconds) / 1024: fal's list is $2.5 (Pro) and $1.8 (Lite) per million. */
const usdPerMillionTokens = { 'seedance-1-pro': 2.5, 'seedance-1-lite': 1.8 };
export const seedanceFramePixels = { '480p': 864 * 480, '720p': 1280 * 720, '1080p': 1920 * 1080 };

export function seedanceTokens(options: SeedanceOptions): number {
  return (seedanceFramePixels[options.resolution] * 24 * options.duration) / 1024;
}

export function quoteSeedance({ options }: GenerationRequest<SeedanceOptions>): Quote {
  return { usd: (seedanceTokens(options) / 1_000_000) * usdPerMillionTokens[options.model], estimatedSeconds: options.resolution === '1080p' ? 120 : 60, model: options.model };
}

import type { GenerationRequest, Quote } from '../spec.ts';
import type { VeoOptions } from './veo-options.ts';

/**
 * US$ per second (Gemini API list prices as quoted in March 2026, not re-verified): standard $0.40 with audio,
 * fast $0.15; 4k standard $0.60; without audio (Vertex AI only) about half.
 */
const usdPerSecond = {
  standard: { audio: 0.4, silent: 0.2, audio4k: 0.6 },
  fast: { audio: 0.15, silent: 0.1, audio4k: 0.3 },
};

export function quoteVeo({ options }: GenerationRequest<VeoOptions>): Quote {
  const tier = options.model.includes('fast') ? usdPerSecond.fast : usdPerSecond.standard;
  const rate = !options.generateAudio ? tier.silent : options.resolution === '4k' ? tier.audio4k : tier.audio;
  return { usd: rate * options.duration, estimatedSeconds: options.model.includes('fast') ? 60 : 150, model: options.model };
}

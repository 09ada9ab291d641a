import type { GenerationRequest, Quote } from '../spec.ts';
import type { ElevenLabsOptions } from './elevenlabs-options.ts';

/**
 * US$ per 1000 characters. ElevenLabs bills Flash and Turbo at half a credit per character and the others at
 * one (help centre); dollar rates depend on the plan, and third parties quote about $0.10 and $0.05.
 */
const usdPerThousandCharacters = (model: string) => (model.includes('turbo') || model.includes('flash') ? 0.05 : 0.1);

export function quoteElevenLabs({ input, options }: GenerationRequest<ElevenLabsOptions>): Quote {
  return { usd: ((input.text ?? '').length / 1000) * usdPerThousandCharacters(options.model), estimatedSeconds: 5, model: options.model };
}

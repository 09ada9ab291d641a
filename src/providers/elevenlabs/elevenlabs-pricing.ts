import type { GenerationRequest, Quote } from '../spec.ts';
import type { ElevenLabsOptions } from './elevenlabs-options.ts';

/**
 * US$ per 1000 characters. ElevenLabs bills Flash and Turbo at half a credit per character and the others at
 * one (help centre); dollar rates depend on the plan, and third parties quote about $0.10 and $0.05.
 */
const usdPerThousandCharacters = (model: string) => (model.includes('turbo') || model.includes('flash') ? 0.05 : 0.1);

/** Sound effects cost 100 ElevenLabs credits with an automatic length, 20 a second with a set one; a credit is about $0.00022 on the Creator plan. */
const usdPerCredit = 0.00022;
const soundEffectCredits = { automatic: 100, perSecond: 20 };

export function quoteElevenLabs({ input, options }: GenerationRequest<ElevenLabsOptions>): Quote {
  if (options.task === 'sound-effect') {
    const credits = options.duration === undefined ? soundEffectCredits.automatic : soundEffectCredits.perSecond * options.duration;
    return { usd: credits * usdPerCredit, estimatedSeconds: 10, model: 'eleven_text_to_sound_v2' };
  }
  return { usd: ((input.text ?? '').length / 1000) * usdPerThousandCharacters(options.model), estimatedSeconds: 5, model: options.model };
}

import { speechSeconds } from '../shared/option-helpers.ts';
import type { GenerationRequest, Quote } from '../spec.ts';
import { type OmnihumanOptions, omnihumanLimits } from './omnihuman-options.ts';

/** US$ per second of video (fal's OmniHuman 1.5 list: $0.16/s). The length follows the audio, unknown until it is read, so the reservation takes the longest. */
const usdPerSecond = 0.16;

export function quoteOmnihuman({ input, options }: GenerationRequest<OmnihumanOptions>): Quote {
  const seconds = input.text ? speechSeconds(input.text) : omnihumanLimits.maxAudioSeconds;
  return { usd: usdPerSecond * seconds, estimatedSeconds: 90 + seconds * 3, model: options.model };
}

import { defineProvider } from '../spec.ts';
import { checkOmnihumanInput, type OmnihumanOptions, omnihumanLimits, omnihumanModels, omnihumanOptionsSchema } from './omnihuman-options.ts';
import { quoteOmnihuman } from './omnihuman-pricing.ts';

/** No vendor API of its own here: fal and Replicate host it. */
export const omnihumanProvider = defineProvider<OmnihumanOptions>({
  id: 'omnihuman',
  name: 'ByteDance OmniHuman',
  description: 'ByteDance OmniHuman: a single portrait and a speech track become a lifelike talking video with matching expressions and gestures.',
  types: ['AVATAR'],
  models: [...omnihumanModels],
  features: ['Portrait plus audio to video', 'Lip sync with expressive motion', 'Singing and speech'],
  limitations: ['Needs a portrait (input.image) and speech (input.audio)', `Audio up to ${omnihumanLimits.maxAudioSeconds} seconds`],
  qualityScore: 8,
  optionsSchema: omnihumanOptionsSchema,
  checkInput: checkOmnihumanInput,
  quote: quoteOmnihuman,
  polling: { initialDelayMs: 10_000, intervalMs: 5000, maxIntervalMs: 20_000 },
  routes: [],
});

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
  features: ['Portrait plus audio to video', 'Portrait plus script: spoken first by the host, in input.voice', 'Lip sync with expressive motion', 'Singing and speech'],
  limitations: [
    'Needs a portrait (input.image) and speech (input.audio, or input.text to be spoken)',
    `Audio up to ${omnihumanLimits.maxAudioSeconds} seconds`,
    `Scripts up to ${omnihumanLimits.scriptChars} characters`,
  ],
  qualityScore: 8,
  optionsSchema: omnihumanOptionsSchema,
  checkInput: checkOmnihumanInput,
  quote: quoteOmnihuman,
  polling: { initialDelayMs: 10_000, intervalMs: 5000, maxIntervalMs: 20_000 },
  routes: [],
});

import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { createHeygenClient } from './heygen-client.ts';
import { checkHeygenInput, type HeygenOptions, heygenEngines, heygenLimits, heygenOptionsSchema } from './heygen-options.ts';
import { quoteHeygen } from './heygen-pricing.ts';
import { checkHeygenRoute } from './heygen-request.ts';
import { heygenSettings } from './heygen-settings.ts';

export const heygenProvider = defineProvider<HeygenOptions>({
  id: 'heygen',
  name: 'HeyGen',
  description: 'Talking avatars with natural expressions and lip sync, voiced from text or your own audio.',
  types: ['AVATAR'],
  models: [...heygenEngines],
  features: ['Talking avatar from text', 'Lip sync to uploaded audio', 'Backgrounds and gestures', 'Captions', 'Up to 4K'],
  limitations: [`Script at most ${heygenLimits.scriptChars} characters`, 'Video length follows the script', `Aspect ratios ${describeChoices(heygenLimits.aspectRatios)}`],
  qualityScore: 8,
  optionsSchema: heygenOptionsSchema,
  checkInput: checkHeygenInput,
  quote: quoteHeygen,
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 60_000, followsEstimate: true },
  routes: [defineRoute({ id: 'heygen', settings: heygenSettings, checkRequest: checkHeygenRoute, connect: createHeygenClient })],
});

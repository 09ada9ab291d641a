import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { createKlingClient } from './kling-client.ts';
import { checkKlingInput, type KlingOptions, klingImageOnlyModels, klingLimits, klingModels, klingOptionsSchema } from './kling-options.ts';
import { quoteKling } from './kling-pricing.ts';
import { klingSettings } from './kling-settings.ts';

export const klingProvider = defineProvider<KlingOptions>({
  id: 'kling',
  name: 'Kling',
  description: 'Kling 1.0 to 3.0 video models with standard and pro modes, 5 or 10 second clips and strong motion consistency.',
  types: ['VIDEO'],
  models: [...klingModels],
  features: ['Text to video', 'Image to video', 'Standard and pro modes', 'Negative prompts'],
  limitations: [
    describeChoices(klingLimits.durations, 'seconds'),
    `Prompt at most ${klingLimits.promptChars} characters`,
    `Aspect ratios ${klingLimits.aspectRatios.join(', ')}`,
    `${klingImageOnlyModels.join(', ')} animates images only`,
  ],
  qualityScore: 8,
  optionsSchema: klingOptionsSchema,
  checkInput: checkKlingInput,
  quote: quoteKling,
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 30_000, followsEstimate: true },
  routes: [defineRoute({ id: 'kling', settings: klingSettings, connect: (settings) => createKlingClient(settings) })],
});

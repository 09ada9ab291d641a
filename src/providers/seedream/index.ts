import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider } from '../spec.ts';
import { checkSeedreamInput, type SeedreamOptions, seedreamLimits, seedreamModels, seedreamOptionsSchema } from './seedream-options.ts';
import { quoteSeedream } from './seedream-pricing.ts';

/** No vendor API of its own here: fal and Replicate host it. */
export const seedreamProvider = defineProvider<SeedreamOptions>({
  id: 'seedream',
  name: 'ByteDance Seedream',
  description: 'ByteDance Seedream 4.0: artistic, detailed images with strong Chinese and English text understanding.',
  types: ['IMAGE'],
  models: [...seedreamModels],
  features: ['Text to image', 'Editing with reference images', 'Up to 4K'],
  limitations: [`Aspect ratios ${describeChoices(seedreamLimits.aspectRatios)}`, `At most ${seedreamLimits.referenceImages} reference images`],
  qualityScore: 8,
  optionsSchema: seedreamOptionsSchema,
  checkInput: checkSeedreamInput,
  quote: quoteSeedream,
  polling: { initialDelayMs: 2000, intervalMs: 2000, maxIntervalMs: 5000 },
  routes: [],
});

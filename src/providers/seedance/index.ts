import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider } from '../spec.ts';
import { checkSeedanceInput, type SeedanceOptions, seedanceLimits, seedanceModels, seedanceOptionsSchema } from './seedance-options.ts';
import { quoteSeedance } from './seedance-pricing.ts';

/** No vendor API of its own here: fal and Replicate host it (their folders declare the routes). */
export const seedanceProvider = defineProvider<SeedanceOptions>({
  id: 'seedance',
  name: 'ByteDance Seedance',
  description: 'ByteDance Seedance 1.0: stable, coherent 5 or 10 second clips from text or a first frame, at 480p to 1080p.',
  types: ['VIDEO'],
  models: [...seedanceModels],
  features: ['Text to video', 'Image to video (first frame)', 'Fixed camera', 'Multi-shot prompts'],
  limitations: [describeChoices(seedanceLimits.durations, 'seconds'), `Resolutions ${describeChoices(seedanceLimits.resolutions)}`, `Prompt at most ${seedanceLimits.promptChars} characters`],
  qualityScore: 8,
  optionsSchema: seedanceOptionsSchema,
  checkInput: checkSeedanceInput,
  quote: quoteSeedance,
  polling: { initialDelayMs: 10_000, intervalMs: 5000, maxIntervalMs: 20_000 },
  routes: [],
});

import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { createMinimaxClient } from './minimax-client.ts';
import { checkMinimaxInput, type MinimaxOptions, minimaxImageOnlyModels, minimaxLimits, minimaxModels, minimaxOptionsSchema } from './minimax-options.ts';
import { quoteMinimax } from './minimax-pricing.ts';
import { checkMinimaxRoute } from './minimax-request.ts';
import { minimaxSettings } from './minimax-settings.ts';

export const minimaxProvider = defineProvider<MinimaxOptions>({
  id: 'minimax',
  name: 'MiniMax Hailuo',
  description: 'MiniMax Hailuo 2.3, 02 and 01 video models with strong scene understanding and natural motion.',
  types: ['VIDEO'],
  models: [...minimaxModels],
  features: ['Text to video', 'Image to video (first frame)', 'Prompt optimizer', 'Style presets', 'Camera commands in brackets (Director models)'],
  limitations: [
    `Hailuo: ${describeChoices(minimaxLimits.hailuo.durations, 'seconds')} at ${describeChoices(minimaxLimits.hailuo.resolutions)}`,
    `01 series: ${describeChoices(minimaxLimits.series01.durations, 'seconds')} at ${describeChoices(minimaxLimits.series01.resolutions)}`,
    `Prompt at most ${minimaxLimits.promptChars} characters`,
    `${minimaxImageOnlyModels.join(', ')} start from an image`,
  ],
  qualityScore: 7,
  optionsSchema: minimaxOptionsSchema,
  checkInput: checkMinimaxInput,
  quote: quoteMinimax,
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 30_000, followsEstimate: true },
  routes: [defineRoute({ id: 'minimax', settings: minimaxSettings, checkRequest: checkMinimaxRoute, connect: createMinimaxClient })],
});

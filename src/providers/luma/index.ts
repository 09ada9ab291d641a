import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { createLumaClient } from './luma-client.ts';
import { checkLumaInput, type LumaOptions, lumaLimits, lumaModels, lumaOptionsSchema } from './luma-options.ts';
import { quoteLuma } from './luma-pricing.ts';
import { checkLumaRoute } from './luma-request.ts';
import { lumaSettings } from './luma-settings.ts';

export const lumaProvider = defineProvider<LumaOptions>({
  id: 'luma',
  name: 'Luma Dream Machine',
  description: 'Luma Dream Machine (Ray 2) for artistic, surreal and creative video with a distinctive look.',
  types: ['VIDEO'],
  models: [...lumaModels],
  features: ['Text to video', 'Image to video (keyframes)', 'Looping clips', 'Up to 4K'],
  limitations: [describeChoices(lumaLimits.durations, 'seconds'), `Prompt ${lumaLimits.promptChars.min} to ${lumaLimits.promptChars.max} characters`, 'No loop with an end frame'],
  qualityScore: 7,
  optionsSchema: lumaOptionsSchema,
  checkInput: checkLumaInput,
  quote: quoteLuma,
  polling: { initialDelayMs: 5000, intervalMs: 5000, maxIntervalMs: 20_000, followsEstimate: true },
  routes: [defineRoute({ id: 'luma', settings: lumaSettings, checkRequest: checkLumaRoute, connect: createLumaClient })],
});

import { describeChoices } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { geminiSettings, vertexSettings } from './google-settings.ts';
import { createGeminiVeoClient } from './veo-client.ts';
import { checkVeoInput, type VeoOptions, veoLimits, veoModels, veoOptionsSchema } from './veo-options.ts';
import { quoteVeo } from './veo-pricing.ts';
import { checkGeminiRoute } from './veo-request.ts';
import { createVertexVeoClient } from './veo-vertex-client.ts';

export const veoProvider = defineProvider<VeoOptions>({
  id: 'veo',
  name: 'Google Veo',
  description: "Google's Veo 3.1 video models: realism and physical accuracy, with native audio.",
  types: ['VIDEO'],
  models: [...veoModels],
  features: ['Text to video', 'Image to video (first and last frame)', 'Native audio', 'Negative prompts'],
  limitations: [
    describeChoices(veoLimits.durations, 'seconds'),
    describeChoices(veoLimits.aspectRatios),
    `${veoLimits.resolutions.filter((resolution) => resolution !== '720p').join(' and ')} at ${veoLimits.highResolutionDuration} seconds only`,
    `Prompt at most ${veoLimits.promptChars} characters`,
  ],
  qualityScore: 9,
  optionsSchema: veoOptionsSchema,
  checkInput: checkVeoInput,
  quote: quoteVeo,
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 30_000, followsEstimate: true },
  // Both of Google's APIs serve Veo; the first configured runs it. Only Vertex AI takes a seed or leaves the audio out.
  routes: [
    defineRoute({ id: 'gemini', settings: geminiSettings, checkRequest: checkGeminiRoute, connect: createGeminiVeoClient }),
    defineRoute({ id: 'vertex', settings: vertexSettings, connect: createVertexVeoClient }),
  ],
});

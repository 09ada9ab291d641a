import { defineProvider } from '../spec.ts';
import { checkElevenLabsInput, type ElevenLabsOptions, elevenLabsModels, elevenLabsOptionsSchema } from './elevenlabs-options.ts';
import { quoteElevenLabs } from './elevenlabs-pricing.ts';

export const elevenLabsProvider = defineProvider<ElevenLabsOptions>({
  id: 'elevenlabs',
  name: 'ElevenLabs',
  description: 'The most natural AI voices, with emotion control and support for many languages.',
  types: ['AUDIO'],
  models: Object.keys(elevenLabsModels),
  features: ['Text to speech', '29+ languages', 'Emotion and speed control', 'Premade and cloned voices'],
  limitations: Object.entries(elevenLabsModels).map(([model, { maxCharacters }]) => `${model}: at most ${maxCharacters} characters per request`),
  qualityScore: 9,
  optionsSchema: elevenLabsOptionsSchema,
  checkInput: checkElevenLabsInput,
  quote: quoteElevenLabs,
  polling: { initialDelayMs: 500, intervalMs: 1000, maxIntervalMs: 5000 },
  routes: [],
});

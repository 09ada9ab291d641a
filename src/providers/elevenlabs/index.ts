import { defineProvider, defineRoute } from '../spec.ts';
import { createElevenLabsClient } from './elevenlabs-client.ts';
import { checkElevenLabsInput, type ElevenLabsOptions, elevenLabsModels, elevenLabsOptionsSchema, elevenLabsVoices } from './elevenlabs-options.ts';
import { quoteElevenLabs } from './elevenlabs-pricing.ts';
import { elevenLabsSettings } from './elevenlabs-settings.ts';

export const elevenLabsProvider = defineProvider<ElevenLabsOptions>({
  id: 'elevenlabs',
  name: 'ElevenLabs',
  description: 'The most natural AI voices, with emotion control and support for many languages.',
  types: ['AUDIO'],
  models: Object.keys(elevenLabsModels),
  features: ['Text to speech', 'Sound effects (options.task: sound-effect)', '29+ languages', 'Emotion and speed control', 'Premade and cloned voices'],
  limitations: Object.entries(elevenLabsModels).map(([model, { maxCharacters }]) => `${model}: at most ${maxCharacters} characters per request`),
  qualityScore: 9,
  voices: Object.entries(elevenLabsVoices).map(([name, id]) => ({ id, name })),
  optionsSchema: elevenLabsOptionsSchema,
  checkInput: checkElevenLabsInput,
  quote: quoteElevenLabs,
  polling: { initialDelayMs: 500, intervalMs: 1000, maxIntervalMs: 5000 },
  // Synchronous: the first poll makes the audio, so it comes at once.
  routes: [defineRoute({ id: 'elevenlabs', settings: elevenLabsSettings, polling: { initialDelayMs: 0, intervalMs: 1000, maxIntervalMs: 5000 }, connect: createElevenLabsClient })],
});

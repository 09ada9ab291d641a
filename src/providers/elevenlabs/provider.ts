import { z } from 'zod';
import { textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

/** ElevenLabs' premade voices by name, so clients can say `rachel` instead of a voice id. */
export const elevenLabsVoices: Record<string, string> = {
  rachel: '21m00Tcm4TlvDq8ikWAM',
  adam: 'pNInz6obpgDQGcFmaJgB',
  antoni: 'ErXwobaYiN019PkySvjV',
  bella: 'EXAVITQu4vr4xnSDxMaL',
  domi: 'AZnzlk1XvdvUeBnXmlld',
  elli: 'MF3mGyEYCl7XYWbV9V6O',
  josh: 'TxGEqnHWrfWFTfGW9XjX',
  sam: 'yoZ06aMxZJJ28mfd3POQ',
};

const models = ['eleven_multilingual_v2', 'eleven_turbo_v2_5', 'eleven_flash_v2_5', 'eleven_v3'] as const;

export const elevenLabsOptionsSchema = z.strictObject({
  voice: z.string().min(1).default('rachel').describe(`Voice id, or a premade voice name: ${Object.keys(elevenLabsVoices).join(', ')}`),
  model: z.enum(models).default('eleven_multilingual_v2').describe('Speech model'),
  emotion: z.enum(['neutral', 'excited', 'calm', 'happy', 'sad', 'angry', 'whisper']).default('neutral').describe('Delivery style (mapped to stability and style)'),
  speed: z.number().min(0.7).max(1.2).default(1).describe('Speaking rate'),
  stability: z.number().min(0).max(1).optional().describe('Lower is more expressive'),
  similarityBoost: z.number().min(0).max(1).optional().describe('How closely to match the voice'),
  outputFormat: z.enum(['mp3_44100_128', 'mp3_44100_192', 'pcm_24000', 'pcm_44100']).default('mp3_44100_128').describe('Audio encoding'),
});
type ElevenLabsOptions = z.infer<typeof elevenLabsOptionsSchema>;

/** US$ per 1000 characters: multilingual and v3 bill full rate; turbo and flash half. */
const usdPerThousandCharacters = (model: string) => (model.includes('turbo') || model.includes('flash') ? 0.09 : 0.18);

export const elevenLabsProvider = defineProvider<ElevenLabsOptions>({
  id: 'elevenlabs',
  name: 'ElevenLabs',
  description: 'The most natural AI voices, with emotion control and support for many languages.',
  types: ['AUDIO'],
  models: [...models],
  features: ['Text to speech', '29+ languages', 'Emotion and speed control', 'Premade and cloned voices'],
  limitations: ['Text at most 10000 characters per request'],
  qualityScore: 9,
  optionsSchema: elevenLabsOptionsSchema,
  checkInput: textRequired(10_000),
  quote: ({ input, options }) => ({ usd: ((input.text ?? '').length / 1000) * usdPerThousandCharacters(options.model), estimatedSeconds: 5, model: options.model }),
  polling: { initialDelayMs: 500, intervalMs: 1000, maxIntervalMs: 5000 },
});

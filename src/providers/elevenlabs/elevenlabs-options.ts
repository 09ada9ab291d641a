import { z } from 'zod';
import type { GenerationRequest, InputProblem } from '../spec.ts';

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

/** Speech models and the characters one request may carry (ElevenLabs help centre). */
export const elevenLabsModels = {
  eleven_multilingual_v2: { maxCharacters: 10_000 },
  eleven_v3: { maxCharacters: 5_000 },
  eleven_flash_v2_5: { maxCharacters: 40_000 },
  eleven_turbo_v2_5: { maxCharacters: 40_000 },
} as const;
export type ElevenLabsModel = keyof typeof elevenLabsModels;
const modelIds = Object.keys(elevenLabsModels) as [ElevenLabsModel, ...ElevenLabsModel[]];

/** Sound effects: ElevenLabs' limits on the length asked for (omitted, the model chooses). */
export const soundEffectLimits = { minSeconds: 0.5, maxSeconds: 30, model: 'eleven_text_to_sound_v2' };

export const elevenLabsOptionsSchema = z.strictObject({
  task: z.enum(['speech', 'sound-effect']).default('speech').describe('What to make: speech from the text, or the sound effect it describes'),
  voice: z
    .string()
    .min(1)
    .default('rachel')
    .describe(`Voice id, or a premade voice name: ${Object.keys(elevenLabsVoices).join(', ')}`),
  model: z.enum(modelIds).default('eleven_multilingual_v2').describe('Speech model'),
  emotion: z.enum(['neutral', 'excited', 'calm', 'happy', 'sad', 'angry', 'whisper']).default('neutral').describe('Delivery style (mapped to stability and style)'),
  speed: z.number().min(0.7).max(1.2).default(1).describe('Speaking rate'),
  stability: z.number().min(0).max(1).optional().describe('Lower is more expressive'),
  similarityBoost: z.number().min(0).max(1).optional().describe('How closely to match the voice'),
  duration: z.number().min(soundEffectLimits.minSeconds).max(soundEffectLimits.maxSeconds).optional().describe('Sound effects: length in seconds (omitted, the model chooses)'),
  promptInfluence: z.number().min(0).max(1).default(0.3).describe('Sound effects: how closely to follow the description'),
  loop: z.boolean().default(false).describe('Sound effects: make it loop seamlessly'),
  outputFormat: z
    .enum(['mp3_44100_128', 'mp3_44100_192', 'mp3_22050_32', 'pcm_16000', 'pcm_24000', 'pcm_44100', 'wav_44100'])
    .default('mp3_44100_128')
    .describe('Audio encoding (192 kbps and 44.1 kHz PCM need higher plans)'),
});
/** A sound effect's description is a prompt, not a script. */
const soundEffectPromptChars = 1000;

export type ElevenLabsOptions = z.infer<typeof elevenLabsOptionsSchema>;

export function checkElevenLabsInput({ input, options }: GenerationRequest<ElevenLabsOptions>): InputProblem | null {
  const text = input.text ?? '';
  const limit = options.task === 'sound-effect' ? soundEffectPromptChars : elevenLabsModels[options.model].maxCharacters;
  if (text.trim() === '') return { field: 'input.text', message: 'is required' };
  return text.length > limit ? { field: 'input.text', message: `must be at most ${limit} characters for ${options.task === 'sound-effect' ? 'a sound effect' : options.model}` } : null;
}

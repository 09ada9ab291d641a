import { z } from 'zod';
import { aspectRatioOption, durationOption, textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

const models = ['veo-3.0-generate-001', 'veo-3.0-fast-generate-001', 'veo-3.1-generate-preview', 'veo-3.1-fast-generate-preview', 'veo-2.0-generate-001'] as const;

export const veoOptionsSchema = z.strictObject({
  model: z.enum(models).default('veo-3.0-generate-001').describe('Veo model'),
  duration: durationOption([4, 6, 8], 8),
  aspectRatio: aspectRatioOption(['16:9', '9:16'], '16:9'),
  resolution: z.enum(['720p', '1080p']).default('720p').describe('Output resolution (1080p for 16:9 only)'),
  generateAudio: z.boolean().default(true).describe('Generate a soundtrack with the video (Veo 3)'),
  personGeneration: z.enum(['allow_all', 'allow_adult', 'dont_allow']).optional().describe('Whether people may appear'),
  seed: z.number().int().min(0).max(4_294_967_295).optional().describe('Random seed for reproducible results'),
});
type VeoOptions = z.infer<typeof veoOptionsSchema>;

/** US$ per second (Gemini API list prices): Veo 3 with audio, without, fast, and Veo 2. */
function usdPerSecond(options: VeoOptions): number {
  if (options.model.startsWith('veo-2')) return 0.35;
  if (options.model.includes('fast')) return 0.15;
  return options.generateAudio ? 0.4 : 0.2;
}

export const veoProvider = defineProvider<VeoOptions>({
  id: 'veo',
  name: 'Google Veo',
  description: "Google's Veo video models: unmatched realism and physical accuracy, with native audio on Veo 3.",
  types: ['VIDEO'],
  models: [...models],
  features: ['Text to video', 'Image to video', 'Native audio (Veo 3)', 'Negative prompts'],
  limitations: ['4, 6 or 8 seconds', '16:9 or 9:16', '1080p only at 16:9'],
  qualityScore: 9,
  optionsSchema: veoOptionsSchema,
  checkInput: (request) => {
    if (request.options.resolution === '1080p' && request.options.aspectRatio !== '16:9') return { field: 'options.resolution', message: '1080p is only available at 16:9' };
    return textRequired(4000)(request);
  },
  quote: ({ options }) => ({ usd: usdPerSecond(options) * options.duration, estimatedSeconds: options.model.includes('fast') ? 60 : 150, model: options.model }),
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 30_000 },
});

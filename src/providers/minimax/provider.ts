import { z } from 'zod';
import { durationOption, textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

const models = ['MiniMax-Hailuo-02', 'T2V-01-Director', 'I2V-01-Director', 'T2V-01', 'I2V-01'] as const;
const resolutions = ['512p', '720p', '768p', '1080p'] as const;

export const minimaxOptionsSchema = z.strictObject({
  model: z.enum(models).default('MiniMax-Hailuo-02').describe('Hailuo model'),
  duration: durationOption([6, 10], 6),
  resolution: z
    .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(resolutions))
    .default('768p')
    .describe('Output resolution'),
  style: z.enum(['cinematic', 'realistic', 'anime', 'documentary', '3d', 'vintage']).optional().describe('Visual style, added to the prompt'),
  promptOptimizer: z.boolean().default(true).describe('Let MiniMax rewrite the prompt for better results'),
});
type MinimaxOptions = z.infer<typeof minimaxOptionsSchema>;

/** US$ for a 6 s clip per resolution (Hailuo-02 list prices); 10 s costs 10/6 of it. */
const usdPerSixSeconds: Record<(typeof resolutions)[number], number> = { '512p': 0.1, '720p': 0.27, '768p': 0.27, '1080p': 0.48 };

export const minimaxProvider = defineProvider<MinimaxOptions>({
  id: 'minimax',
  name: 'MiniMax Hailuo',
  description: 'MiniMax Hailuo video models with strong scene understanding and natural motion.',
  types: ['VIDEO'],
  models: [...models],
  features: ['Text to video', 'Image to video (first frame)', 'Prompt optimizer', 'Style presets'],
  limitations: ['6 or 10 seconds', 'Prompt at most 2000 characters'],
  qualityScore: 7,
  optionsSchema: minimaxOptionsSchema,
  checkInput: textRequired(2000),
  quote: ({ options }) => ({ usd: (usdPerSixSeconds[options.resolution] * options.duration) / 6, estimatedSeconds: options.resolution === '1080p' ? 300 : 180, model: options.model }),
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 30_000 },
});

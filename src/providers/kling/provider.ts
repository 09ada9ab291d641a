import { z } from 'zod';
import { aspectRatioOption, durationOption, textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

const models = ['kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo'] as const;

export const klingOptionsSchema = z.strictObject({
  model: z.enum(models).default('kling-v1-6').describe('Kling model version'),
  mode: z.enum(['std', 'pro']).default('std').describe('std is faster and cheaper; pro renders at higher quality'),
  duration: durationOption([5, 10], 5),
  aspectRatio: aspectRatioOption(['16:9', '9:16', '1:1'], '16:9'),
  cfgScale: z.number().min(0).max(1).optional().describe('How closely to follow the prompt (0-1)'),
});
type KlingOptions = z.infer<typeof klingOptionsSchema>;

/** US$ per second of video, from Kling's API price list (std / pro; master models are one tier). */
const usdPerSecond = { std: 0.028, pro: 0.049, master: 0.28 };

export const klingProvider = defineProvider<KlingOptions>({
  id: 'kling',
  name: 'Kling',
  description: 'Kling 1.0-2.5 video models with standard and pro modes, 5 or 10 second clips and strong motion consistency.',
  types: ['VIDEO'],
  models: [...models],
  features: ['Text to video', 'Image to video', 'Standard and pro modes', 'Negative prompts'],
  limitations: ['5 or 10 seconds', 'Prompt at most 2500 characters', 'Aspect ratios 16:9, 9:16, 1:1'],
  qualityScore: 8,
  optionsSchema: klingOptionsSchema,
  checkInput: textRequired(2500),
  quote: ({ options }) => {
    const rate = options.model.includes('master') ? usdPerSecond.master : usdPerSecond[options.mode];
    return { usd: rate * options.duration, estimatedSeconds: options.mode === 'pro' ? 240 : 120, model: options.model };
  },
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 30_000 },
});

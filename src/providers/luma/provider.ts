import { z } from 'zod';
import { aspectRatioOption, durationOption, textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

const models = ['ray-2', 'ray-flash-2', 'ray-1-6'] as const;
const resolutions = ['540p', '720p', '1080p', '4k'] as const;

export const lumaOptionsSchema = z.strictObject({
  model: z.enum(models).default('ray-2').describe('Dream Machine model'),
  duration: durationOption([5, 9], 5),
  aspectRatio: aspectRatioOption(['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', '9:21'], '16:9'),
  resolution: z.enum(resolutions).default('720p').describe('Output resolution'),
  loop: z.boolean().default(false).describe('Make the clip loop seamlessly'),
});
type LumaOptions = z.infer<typeof lumaOptionsSchema>;

/** US$ per second for ray-2 by resolution; ray-flash-2 costs about a third. */
const usdPerSecond: Record<(typeof resolutions)[number], number> = { '540p': 0.08, '720p': 0.14, '1080p': 0.32, '4k': 1.28 };

export const lumaProvider = defineProvider<LumaOptions>({
  id: 'luma',
  name: 'Luma Dream Machine',
  description: 'Luma Dream Machine (Ray) for artistic, surreal and creative video with a distinctive look.',
  types: ['VIDEO'],
  models: [...models],
  features: ['Text to video', 'Image to video (keyframes)', 'Looping clips', 'Up to 4K'],
  limitations: ['5 or 9 seconds'],
  qualityScore: 7,
  optionsSchema: lumaOptionsSchema,
  checkInput: textRequired(5000),
  quote: ({ options }) => ({
    usd: usdPerSecond[options.resolution] * options.duration * (options.model === 'ray-flash-2' ? 0.33 : 1),
    estimatedSeconds: options.model === 'ray-flash-2' ? 60 : 120,
    model: options.model,
  }),
  polling: { initialDelayMs: 5000, intervalMs: 5000, maxIntervalMs: 20_000 },
});

import { z } from 'zod';
import { seedOption } from '../shared/option-helpers.ts';
import { defineProvider, defineRoute } from '../spec.ts';
import { createSandboxClient, magicWords } from './sandbox-client.ts';
import { sandboxSettings } from './sandbox-settings.ts';

/** The sandbox takes the options most providers share and lets any others through, so it can stand in for all of them. */
export const sandboxOptionsSchema = z.looseObject({
  aspectRatio: z
    .string()
    .regex(/^\d+:\d+$/, 'must look like 16:9 or 1360:768')
    .optional()
    .describe('Aspect ratio (16:9) or pixel size (1360:768)'),
  duration: z.number().positive().max(60).optional().describe('Length in seconds for video and audio'),
  width: z.number().int().min(16).max(4096).optional().describe('Image width in pixels (with height)'),
  height: z.number().int().min(16).max(4096).optional().describe('Image height in pixels (with width)'),
  seed: seedOption,
});
type SandboxOptions = z.infer<typeof sandboxOptionsSchema>;

const sandboxPolling = { initialDelayMs: 0, intervalMs: 250, maxIntervalMs: 1000 };

/** US$ per generation: small but not zero, so live keys can exercise billing end to end. */
const usdPerGeneration = { still: 0.0025, moving: 0.005 };

export const sandboxProvider = defineProvider<SandboxOptions>({
  id: 'sandbox',
  name: 'Sandbox',
  description: 'Built-in offline provider: makes real, deterministic PNG, MP4 (H.264) and WAV files. Test keys run every provider on it.',
  types: ['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'],
  models: ['sandbox-1'],
  features: ['Works offline', 'Deterministic in prompt and seed', `Magic words force outcomes: ${Object.values(magicWords).join(', ')}`],
  limitations: ['Synthetic pictures and tones, not real generations', 'Videos at most 640 pixels on the long side'],
  qualityScore: 1,
  optionsSchema: sandboxOptionsSchema,
  checkInput: () => null,
  quote: ({ type }) => ({ usd: type === 'VIDEO' || type === 'AVATAR' ? usdPerGeneration.moving : usdPerGeneration.still, estimatedSeconds: 3, model: 'sandbox-1' }),
  polling: sandboxPolling,
  routes: [defineRoute({ id: 'sandbox', settings: sandboxSettings, polling: sandboxPolling, ignoresPollOverride: true, connect: ({ latencyMs }) => createSandboxClient({ latencyMs }) })],
});

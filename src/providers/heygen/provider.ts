import { z } from 'zod';
import { aspectRatioOption, speechSeconds, textRequired } from '../common-options.ts';
import { defineProvider } from '../spec.ts';

export const heygenOptionsSchema = z.strictObject({
  avatarId: z.string().min(1).describe('Avatar id (a public avatar such as kate, or one of your own)'),
  background: z.string().min(1).default('#ffffff').describe('A colour (#rrggbb), an image URL, or a preset such as modern_office'),
  gesture: z.enum(['neutral', 'friendly', 'professional', 'energetic']).default('neutral').describe('Body language'),
  aspectRatio: aspectRatioOption(['16:9', '9:16', '1:1'], '16:9'),
  speed: z.number().min(0.5).max(1.5).default(1).describe('Speaking rate'),
  caption: z.boolean().default(false).describe('Burn captions into the video'),
});
type HeygenOptions = z.infer<typeof heygenOptionsSchema>;

/** US$ per second of avatar video on HeyGen's API plans. */
const usdPerSecond = 0.03;

export const heygenProvider = defineProvider<HeygenOptions>({
  id: 'heygen',
  name: 'HeyGen',
  description: 'Talking avatars with natural expressions and perfect lip sync, voiced from text or your own audio.',
  types: ['AVATAR'],
  models: ['avatar-iv', 'avatar-iii'],
  features: ['Talking avatar from text', 'Lip sync to uploaded audio', 'Backgrounds and gestures', 'Captions'],
  limitations: ['Script at most 5000 characters', 'Video length follows the script'],
  qualityScore: 8,
  optionsSchema: heygenOptionsSchema,
  checkInput: (request) => (request.input.audio ? null : textRequired(5000)(request)),
  quote: ({ input }) => {
    const seconds = speechSeconds(input.text);
    return { usd: seconds * usdPerSecond, estimatedSeconds: 60 + seconds * 4, model: 'avatar-iv' };
  },
  polling: { initialDelayMs: 10_000, intervalMs: 10_000, maxIntervalMs: 60_000 },
});

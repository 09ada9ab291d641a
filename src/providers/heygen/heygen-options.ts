import { z } from 'zod';
import { aspectRatioOption, textRequired } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** HeyGen's v3 video engines; avatar_iii is for existing customers only. */
export const heygenEngines = ['avatar_iv', 'avatar_v', 'avatar_iii'] as const;
export type HeygenEngine = (typeof heygenEngines)[number];

export const heygenLimits = { scriptChars: 5000, aspectRatios: ['16:9', '9:16', '1:1', '4:5', '5:4'] as const, resolutions: ['720p', '1080p', '4k'] as const };

export const heygenOptionsSchema = z.strictObject({
  avatarId: z.string().min(1).describe('Avatar (look) id: a public avatar such as kate, or one of your own'),
  engine: z.enum(heygenEngines).default('avatar_iv').describe('Avatar engine'),
  background: z.string().min(1).default('#ffffff').describe('A colour (#rrggbb), an image URL, or a preset such as modern_office'),
  gesture: z.enum(['neutral', 'friendly', 'professional', 'energetic']).default('neutral').describe('Body language (a motion prompt for the engine)'),
  aspectRatio: aspectRatioOption(heygenLimits.aspectRatios, '16:9'),
  resolution: z.enum(heygenLimits.resolutions).default('1080p').describe('Output resolution'),
  speed: z.number().min(0.5).max(1.5).default(1).describe('Speaking rate'),
  caption: z.boolean().default(false).describe('Burn captions into the video'),
});
export type HeygenOptions = z.infer<typeof heygenOptionsSchema>;

/** A script to speak, or the client's own audio. */
export function checkHeygenInput(request: GenerationRequest<HeygenOptions>): InputProblem | null {
  return request.input.audio ? null : textRequired(heygenLimits.scriptChars)(request);
}

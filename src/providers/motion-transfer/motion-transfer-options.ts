import { z } from 'zod';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** Character animation by motion transfer: Alibaba's Wan 2.2 Animate ("move" mode) makes the person in an image perform the motion of a reference video. */
export const motionTransferModels = ['wan-2.2-animate'] as const;
export const motionTransferLimits = { maxVideoSeconds: 30 };

export const motionTransferOptionsSchema = z.strictObject({
  model: z.enum(motionTransferModels).default('wan-2.2-animate').describe('Motion transfer model'),
  resolution: z.enum(['480p', '580p', '720p']).default('720p').describe('Output resolution'),
  seed: z.number().int().min(0).max(4_294_967_295).optional().describe('Random seed for reproducible results'),
});
export type MotionTransferOptions = z.infer<typeof motionTransferOptionsSchema>;

export function checkMotionTransferInput({ input }: GenerationRequest<MotionTransferOptions>): InputProblem | null {
  if (!input.image) return { field: 'input.image', message: 'the character to animate is required' };
  if (!input.video) return { field: 'input.video', message: 'the reference video whose motion to copy (a dance, say) is required' };
  return null;
}

/** fal and Replicate host Wan 2.2 Animate and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    'motion-transfer': MotionTransferOptions;
  }
}

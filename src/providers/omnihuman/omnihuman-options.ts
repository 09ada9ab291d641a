import { z } from 'zod';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** ByteDance OmniHuman: a portrait and speech become a talking, gesturing video. */
export const omnihumanModels = ['omnihuman-1.5', 'omnihuman'] as const;
export const omnihumanLimits = { maxAudioSeconds: 60 };

export const omnihumanOptionsSchema = z.strictObject({
  model: z.enum(omnihumanModels).default('omnihuman-1.5').describe('OmniHuman model'),
  resolution: z.enum(['720p', '1080p']).default('720p').describe('Output resolution (1080p takes audio up to 30 s)'),
});
export type OmnihumanOptions = z.infer<typeof omnihumanOptionsSchema>;

/** The portrait and the speech that drives it. */
export function checkOmnihumanInput({ input }: GenerationRequest<OmnihumanOptions>): InputProblem | null {
  if (!input.image) return { field: 'input.image', message: 'a portrait is required' };
  if (!input.audio) return { field: 'input.audio', message: 'the speech to lip-sync is required (an audio URL or data URI)' };
  return null;
}

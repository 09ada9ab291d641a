import { z } from 'zod';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** ByteDance OmniHuman: a portrait and speech become a talking, gesturing video. */
export const omnihumanModels = ['omnihuman-1.5', 'omnihuman'] as const;
/** Audio drives at most a minute of video (fal's 720p limit); a script is spoken first, so it is kept to about that. */
export const omnihumanLimits = { maxAudioSeconds: 60, scriptChars: 900 };

export const omnihumanOptionsSchema = z.strictObject({
  model: z.enum(omnihumanModels).default('omnihuman-1.5').describe('OmniHuman model'),
  resolution: z.enum(['720p', '1080p']).default('720p').describe('Output resolution (1080p takes audio up to 30 s)'),
});
export type OmnihumanOptions = z.infer<typeof omnihumanOptionsSchema>;

/** The portrait and the speech that drives it: recorded audio, or a script the host turns into speech first. */
export function checkOmnihumanInput({ input }: GenerationRequest<OmnihumanOptions>): InputProblem | null {
  if (!input.image) return { field: 'input.image', message: 'a portrait is required' };
  if (!input.audio && !input.text?.trim()) return { field: 'input.audio', message: 'speech is required: input.audio, or input.text (with input.voice) to be spoken first' };
  if (!input.audio && input.text && input.text.length > omnihumanLimits.scriptChars) return { field: 'input.text', message: `must be at most ${omnihumanLimits.scriptChars} characters` };
  return null;
}

/** fal and Replicate host OmniHuman and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    omnihuman: OmnihumanOptions;
  }
}

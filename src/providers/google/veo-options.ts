import { z } from 'zod';
import { aspectRatioOption, durationOption, seedOption, textRequired } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** Google's GA Veo 3.1 ids; the veo-3.0 ids and the 3.1 previews are retired (Google's deprecation pages, 2026). */
export const veoModels = ['veo-3.1-generate-001', 'veo-3.1-fast-generate-001'] as const;
export const veoLimits = {
  promptChars: 4000,
  durations: [4, 6, 8] as const,
  aspectRatios: ['16:9', '9:16'] as const,
  resolutions: ['720p', '1080p', '4k'] as const,
  /** 1080p and 4k are made at 8 seconds. */
  highResolutionDuration: 8,
};

export const veoOptionsSchema = z.strictObject({
  model: z.enum(veoModels).default('veo-3.1-generate-001').describe('Veo model'),
  duration: durationOption(veoLimits.durations, 8),
  aspectRatio: aspectRatioOption(veoLimits.aspectRatios, '16:9'),
  resolution: z.enum(veoLimits.resolutions).default('720p').describe('Output resolution'),
  generateAudio: z.boolean().default(true).describe('Generate a soundtrack (Vertex AI and Runway routes; the Gemini API always does)'),
  personGeneration: z.enum(['allow_all', 'allow_adult']).optional().describe('Whether people may appear (image-to-video allows adults only)'),
  seed: seedOption.describe('Random seed (Vertex AI and Runway routes)'),
});
export type VeoOptions = z.infer<typeof veoOptionsSchema>;

export function checkVeoInput(request: GenerationRequest<VeoOptions>): InputProblem | null {
  const { options } = request;
  if (options.resolution !== '720p' && options.duration !== veoLimits.highResolutionDuration) {
    return { field: 'options.duration', message: `${options.resolution} is made at ${veoLimits.highResolutionDuration} seconds` };
  }
  return textRequired(veoLimits.promptChars)(request);
}

/** fal, Replicate, Runway and CometAPI host Veo and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    veo: VeoOptions;
  }
}

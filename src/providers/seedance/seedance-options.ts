import { z } from 'zod';
import { aspectRatioOption, durationOption, seedOption, textRequired } from '../shared/option-helpers.ts';

/** ByteDance Seedance 1.0 (Pro, and Lite for cheaper clips): text or a first frame to video. */
export const seedanceModels = ['seedance-1-pro', 'seedance-1-lite'] as const;
export const seedanceLimits = {
  promptChars: 2000,
  durations: [5, 10] as const,
  resolutions: ['480p', '720p', '1080p'] as const,
  aspectRatios: ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'] as const,
};

export const seedanceOptionsSchema = z.strictObject({
  model: z.enum(seedanceModels).default('seedance-1-pro').describe('Seedance model'),
  duration: durationOption(seedanceLimits.durations, 5),
  resolution: z.enum(seedanceLimits.resolutions).default('1080p').describe('Output resolution'),
  aspectRatio: aspectRatioOption(seedanceLimits.aspectRatios, '16:9'),
  cameraFixed: z.boolean().default(false).describe('Keep the camera still'),
  seed: seedOption,
});
export type SeedanceOptions = z.infer<typeof seedanceOptionsSchema>;

export const checkSeedanceInput = textRequired(seedanceLimits.promptChars);

/** fal and Replicate host Seedance and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    seedance: SeedanceOptions;
  }
}

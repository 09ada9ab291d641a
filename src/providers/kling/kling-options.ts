import { z } from 'zod';
import { allOf, aspectRatioOption, durationOption, imageRequiredFor, textRequired } from '../shared/option-helpers.ts';

/** Kling's current models (official API docs and resellers' model lists, 2026); kling-v2-1 animates images only. */
export const klingModels = ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'] as const;
export type KlingModel = (typeof klingModels)[number];
export const klingImageOnlyModels: readonly KlingModel[] = ['kling-v2-1'];
/** Master models have a single tier: `mode` does not change them. */
export const klingMasterModels: readonly KlingModel[] = ['kling-v2-master', 'kling-v2-1-master'];

export const klingLimits = { promptChars: 2500, durations: [5, 10] as const, aspectRatios: ['16:9', '9:16', '1:1'] as const, imageBytes: 10 * 1024 * 1024 };

export const klingOptionsSchema = z.strictObject({
  model: z.enum(klingModels).default('kling-v1-6').describe('Kling model version'),
  mode: z.enum(['std', 'pro']).default('std').describe('std is faster and cheaper; pro renders at higher quality (master models have one tier)'),
  duration: durationOption(klingLimits.durations, 5),
  aspectRatio: aspectRatioOption(klingLimits.aspectRatios, '16:9'),
  cfgScale: z.number().min(0).max(1).optional().describe('How closely to follow the prompt (0-1; ignored by v2 models)'),
});
export type KlingOptions = z.infer<typeof klingOptionsSchema>;

export const checkKlingInput = allOf(textRequired(klingLimits.promptChars), imageRequiredFor(klingImageOnlyModels));

/** fal and Replicate host Kling's models and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    kling: KlingOptions;
  }
}

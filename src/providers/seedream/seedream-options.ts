import { z } from 'zod';
import { aspectRatioOption, seedOption, textRequired } from '../shared/option-helpers.ts';

/** ByteDance Seedream 4.0: artistic images, strong with Chinese and English prompts, with optional reference images. */
export const seedreamModels = ['seedream-4'] as const;
export const seedreamLimits = { promptChars: 2000, aspectRatios: ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const, referenceImages: 10 };

export const seedreamOptionsSchema = z.strictObject({
  model: z.enum(seedreamModels).default('seedream-4').describe('Seedream model'),
  aspectRatio: aspectRatioOption(seedreamLimits.aspectRatios, '1:1'),
  size: z.enum(['1K', '2K', '4K']).default('2K').describe('Output size'),
  seed: seedOption,
});
export type SeedreamOptions = z.infer<typeof seedreamOptionsSchema>;

export const checkSeedreamInput = textRequired(seedreamLimits.promptChars);

/** fal and Replicate host Seedream and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    seedream: SeedreamOptions;
  }
}

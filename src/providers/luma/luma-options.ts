import { z } from 'zod';
import { aspectRatioOption, durationOption } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** Dream Machine's video models (the `lumaai` SDK 1.19 enum; ray-1-6 is no longer in it). */
export const lumaModels = ['ray-2', 'ray-flash-2'] as const;
export const lumaResolutions = ['540p', '720p', '1080p', '4k'] as const;
export type LumaResolution = (typeof lumaResolutions)[number];

export const lumaLimits = {
  promptChars: { min: 3, max: 5000 },
  durations: [5, 9] as const,
  aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', '9:21'] as const,
  framesPerSecond: 24,
};

export const lumaOptionsSchema = z.strictObject({
  model: z.enum(lumaModels).default('ray-2').describe('Dream Machine model'),
  duration: durationOption(lumaLimits.durations, 5),
  aspectRatio: aspectRatioOption(lumaLimits.aspectRatios, '16:9'),
  resolution: z.enum(lumaResolutions).default('720p').describe('Output resolution'),
  loop: z.boolean().default(false).describe('Make the clip loop seamlessly (not with an end frame)'),
});
export type LumaOptions = z.infer<typeof lumaOptionsSchema>;

/** Luma's own pre-submission checks (docs: errors): prompt length, and no loop with an end frame. */
export function checkLumaInput({ input, options }: GenerationRequest<LumaOptions>): InputProblem | null {
  const text = input.text ?? '';
  const { min, max } = lumaLimits.promptChars;
  if (text.trim().length < min) return { field: 'input.text', message: `must be at least ${min} characters` };
  if (text.length > max) return { field: 'input.text', message: `must be at most ${max} characters` };
  if (options.loop && input.endImage) return { field: 'options.loop', message: 'a looping clip cannot have an end frame' };
  return null;
}

/** fal and Replicate host Luma's models and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    luma: LumaOptions;
  }
}

import { z } from 'zod';
import { allOf, durationOption, imageRequiredFor, textRequired } from '../shared/option-helpers.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** MiniMax's v1 video models (platform docs, 2026). */
export const minimaxModels = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-2.3-Fast', 'MiniMax-Hailuo-02', 'T2V-01-Director', 'T2V-01', 'I2V-01-Director', 'I2V-01-live', 'I2V-01', 'S2V-01'] as const;
export type MinimaxModel = (typeof minimaxModels)[number];
export const minimaxResolutions = ['512p', '720p', '768p', '1080p'] as const;
export type MinimaxResolution = (typeof minimaxResolutions)[number];

const hailuo: readonly MinimaxModel[] = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-2.3-Fast', 'MiniMax-Hailuo-02'];
export const isHailuo = (model: MinimaxModel) => hailuo.includes(model);

/** What each family accepts: resolutions and durations (MiniMax's video-generation page). */
export const minimaxLimits = {
  promptChars: 2000,
  hailuo: { resolutions: ['512p', '768p', '1080p'] as readonly MinimaxResolution[], durations: [6, 10] as const },
  series01: { resolutions: ['720p'] as readonly MinimaxResolution[], durations: [6] as const },
  /** 512p is made from an image only (Hailuo-02). */
  imageOnlyResolution: '512p' as MinimaxResolution,
};
export const minimaxImageOnlyModels: readonly MinimaxModel[] = ['MiniMax-Hailuo-2.3-Fast', 'I2V-01-Director', 'I2V-01-live', 'I2V-01', 'S2V-01'];

export const minimaxOptionsSchema = z.strictObject({
  model: z.enum(minimaxModels).default('MiniMax-Hailuo-2.3').describe('Hailuo model'),
  duration: durationOption(minimaxLimits.hailuo.durations, 6),
  resolution: z
    .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(minimaxResolutions))
    .optional()
    .describe('Output resolution (default 768p for Hailuo, 720p for the 01 series)'),
  style: z.enum(['cinematic', 'realistic', 'anime', 'documentary', '3d', 'vintage']).optional().describe('Visual style, added to the prompt'),
  promptOptimizer: z.boolean().default(true).describe('Let MiniMax rewrite the prompt for better results'),
});
export type MinimaxOptions = z.infer<typeof minimaxOptionsSchema>;

export const resolutionOf = (options: MinimaxOptions): MinimaxResolution => options.resolution ?? (isHailuo(options.model) ? '768p' : '720p');

function checkModelRules({ input, options }: GenerationRequest<MinimaxOptions>): InputProblem | null {
  const rules = isHailuo(options.model) ? minimaxLimits.hailuo : minimaxLimits.series01;
  const resolution = resolutionOf(options);
  if (!rules.resolutions.includes(resolution)) return { field: 'options.resolution', message: `${options.model} makes ${rules.resolutions.join(', ')}` };
  if (!(rules.durations as readonly number[]).includes(options.duration)) return { field: 'options.duration', message: `${options.model} makes ${rules.durations.join(' or ')} second videos` };
  if (resolution === minimaxLimits.imageOnlyResolution && (options.model !== 'MiniMax-Hailuo-02' || !input.image))
    return { field: 'options.resolution', message: '512p is made by MiniMax-Hailuo-02 from an image only' };
  return null;
}

export const checkMinimaxInput = allOf(textRequired(minimaxLimits.promptChars), imageRequiredFor(minimaxImageOnlyModels), checkModelRules);

/** fal and Replicate host MiniMax's models and map these options: they read them through the spec. */
declare module '../spec.ts' {
  interface HostedProviderOptions {
    minimax: MinimaxOptions;
  }
}

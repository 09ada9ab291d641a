import { z } from 'zod';

/** Aspect ratios Black Forest Labs' FLUX endpoints accept (Ultra: anything between 21:9 and 9:21). */
export const fluxAspectRatios = ['21:9', '16:9', '3:2', '4:3', '1:1', '3:4', '2:3', '9:16', '9:21'] as const;

export const fluxLimits = {
  promptChars: 5000,
  /** FLUX.1 [dev] and [pro] take pixel sizes in multiples of 32 in this range. */
  size: { multiple: 32, min: 256, max: 1440 },
  inputImageBytes: 20 * 1024 * 1024,
};

/** One FLUX endpoint: its path under /v1 and price per image (BFL's price list; 1 BFL credit = $0.01). */
export interface FluxModel {
  path: string;
  usdPerImage: number;
}

export const fluxModels = {
  'flux-dev': { path: '/v1/flux-dev', usdPerImage: 0.025 },
  'flux-pro-1.1': { path: '/v1/flux-pro-1.1', usdPerImage: 0.04 },
  'flux-pro': { path: '/v1/flux-pro', usdPerImage: 0.05 },
  'flux-pro-1.1-ultra': { path: '/v1/flux-pro-1.1-ultra', usdPerImage: 0.06 },
  'flux-kontext-pro': { path: '/v1/flux-kontext-pro', usdPerImage: 0.04 },
  'flux-kontext-max': { path: '/v1/flux-kontext-max', usdPerImage: 0.08 },
} as const satisfies Record<string, FluxModel>;
export type FluxModelId = keyof typeof fluxModels;

const pixelSize = z
  .number()
  .int()
  .min(fluxLimits.size.min)
  .max(fluxLimits.size.max)
  .refine((value) => value % fluxLimits.size.multiple === 0, `must be a multiple of ${fluxLimits.size.multiple}`);

export const fluxCommonOptions = {
  aspectRatio: z.enum(fluxAspectRatios).default('1:1').describe('Aspect ratio of the image'),
  seed: z.number().int().min(0).max(4_294_967_295).optional().describe('Random seed for reproducible results'),
  outputFormat: z.enum(['jpeg', 'png']).default('jpeg').describe('Image file format'),
  promptUpsampling: z.boolean().default(false).describe('Let FLUX expand the prompt'),
};
export const safetyTolerance = (max: number) => z.number().int().min(0).max(max).default(2).describe(`0 is strictest, ${max} most permissive`);
/** FLUX.1 [dev] and [pro] take a pixel size instead of an aspect ratio when both are given. */
export const fluxSizeOptions = {
  width: pixelSize.optional().describe(`Width in pixels (with height; multiples of ${fluxLimits.size.multiple})`),
  height: pixelSize.optional().describe(`Height in pixels (with width; multiples of ${fluxLimits.size.multiple})`),
};

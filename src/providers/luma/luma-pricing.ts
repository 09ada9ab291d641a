import type { GenerationRequest, Quote } from '../spec.ts';
import { type LumaOptions, type LumaResolution, lumaLimits } from './luma-options.ts';

/** Luma bills per million generated pixels (ComfyUI's list; it reproduces Luma's per-clip figures, e.g. ray-2 5 s 720p $0.71). */
const usdPerMegapixel = { 'ray-2': 0.0064, 'ray-flash-2': 0.0022 };
const framePixels: Record<LumaResolution, number> = { '540p': 960 * 540, '720p': 1280 * 720, '1080p': 1920 * 1080, '4k': 3840 * 2160 };

export function quoteLuma({ options }: GenerationRequest<LumaOptions>): Quote {
  const megapixels = (framePixels[options.resolution] * lumaLimits.framesPerSecond * options.duration) / 1_000_000;
  return { usd: megapixels * usdPerMegapixel[options.model], estimatedSeconds: options.model === 'ray-flash-2' ? 60 : 120, model: options.model };
}

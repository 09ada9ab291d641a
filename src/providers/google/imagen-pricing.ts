import type { GenerationRequest, Quote } from '../spec.ts';
import type { ImagenModel, ImagenOptions } from './imagen-options.ts';

/**
 * US$ per output image, from Google's token prices as third parties list them (Gemini API pricing page,
 * 2026): 3.1 Flash Image 6.7¢ at 1K, Gemini 3 Pro Image 13.4¢ at 1K/2K and 24¢ at 4K, 2.5 Flash Image 3.9¢.
 * 3.1 Flash's 2K and 4K are scaled from its 1K price by output tokens.
 */
const usdPerImage: Record<ImagenModel, Record<'1K' | '2K' | '4K', number>> = {
  'gemini-3.1-flash-image-preview': { '1K': 0.067, '2K': 0.101, '4K': 0.151 },
  'gemini-3-pro-image-preview': { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
  'gemini-2.5-flash-image': { '1K': 0.039, '2K': 0.039, '4K': 0.039 },
};

export function quoteImagen({ options }: GenerationRequest<ImagenOptions>): Quote {
  return { usd: usdPerImage[options.model][options.imageSize], estimatedSeconds: options.model.includes('pro') ? 25 : 12, model: options.model };
}

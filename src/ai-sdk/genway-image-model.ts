import type { ImageModelV3, ImageModelV3CallOptions, SharedV3Warning } from '@ai-sdk/provider';
import { fileReference, type GenwayModelContext, generateFiles, genwayOptionsOf, responseOf, unsupported } from './genway-generation.ts';

/** genway's image providers; any other provider id is passed on for the gateway to judge. */
export type GenwayImageModelId = 'flux-pro' | 'flux-dev' | 'flux-ultra' | 'flux-kontext' | 'imagen' | 'seedream' | 'runway' | 'cometapi' | 'sandbox' | (string & {});

// Providers whose options take exact pixels; Runway and CometAPI take a pixel ratio (`1360:768`); the rest an aspect ratio.
const pixelSizeProviders = new Set(['flux-pro', 'flux-dev', 'sandbox']);
const pixelRatioProviders = new Set(['runway', 'cometapi']);

const greatestCommonDivisor = (a: number, b: number): number => (b === 0 ? a : greatestCommonDivisor(b, a % b));

/** The SDK's `size` (`1024x768`) or `aspectRatio` (`16:9`) as the provider's own size option. */
export function imageSizeOptions(provider: string, size: ImageModelV3CallOptions['size'], aspectRatio: ImageModelV3CallOptions['aspectRatio']): Record<string, unknown> {
  if (!size) return aspectRatio ? { aspectRatio } : {};
  const [width, height] = size.split('x').map(Number) as [number, number];
  if (pixelSizeProviders.has(provider)) return { width, height };
  if (pixelRatioProviders.has(provider)) return { aspectRatio: `${width}:${height}` };
  const divisor = greatestCommonDivisor(width, height);
  return { aspectRatio: `${width / divisor}:${height / divisor}` };
}

function settingNamesOf(call: ImageModelV3CallOptions): Record<string, string> {
  const sizeSetting = call.size ? 'size' : call.aspectRatio ? 'aspectRatio' : undefined;
  const sizeNames: Record<string, string> = sizeSetting ? { 'options.width': sizeSetting, 'options.height': sizeSetting, 'options.aspectRatio': sizeSetting } : {};
  return { ...sizeNames, ...(call.seed === undefined ? {} : { 'options.seed': 'seed' }), 'input.text': 'prompt', 'input.image': 'files', 'input.references': 'files' };
}

export class GenwayImageModel implements ImageModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'genway.image';
  /** One genway generation makes one image; the SDK makes one call per image asked for. */
  readonly maxImagesPerCall = 1;

  constructor(
    readonly modelId: GenwayImageModelId,
    private readonly context: GenwayModelContext,
  ) {}

  async doGenerate(call: ImageModelV3CallOptions): Promise<Awaited<ReturnType<ImageModelV3['doGenerate']>>> {
    const warnings: SharedV3Warning[] = [];
    if (call.n > 1) warnings.push(unsupported('n', 'genway makes one image per generation; this call makes one'));
    if (call.mask) warnings.push(unsupported('mask', 'genway takes no inpainting mask; it was ignored'));
    const [image, ...references] = (call.files ?? []).map(fileReference);
    const { generation, files } = await generateFiles(
      this.context,
      {
        type: 'IMAGE',
        provider: this.modelId,
        input: { text: call.prompt, image, references: references.length > 0 ? references : undefined },
        options: { ...imageSizeOptions(this.modelId, call.size, call.aspectRatio), ...(call.seed === undefined ? {} : { seed: call.seed }), ...genwayOptionsOf(call.providerOptions) },
      },
      call,
      settingNamesOf(call),
    );
    return {
      images: files.slice(0, 1).map((file) => file.bytes),
      warnings,
      providerMetadata: { genway: { images: [{ generationId: generation.id, creditCost: generation.creditCost }] } },
      response: responseOf(this.modelId, generation),
    };
  }
}

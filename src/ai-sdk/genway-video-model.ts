import type { SharedV3Warning, Experimental_VideoModelV3 as VideoModelV3, Experimental_VideoModelV3CallOptions as VideoModelV3CallOptions } from '@ai-sdk/provider';
import { fileReference, type GenwayModelContext, generateFiles, genwayOptionsOf, responseOf, unsupported } from './genway-generation.ts';

/** genway's video providers; any other provider id is passed on for the gateway to judge. */
export type GenwayVideoModelId = 'runway' | 'cometapi' | 'kling' | 'minimax' | 'luma' | 'veo' | 'seedance' | 'motion-transfer' | 'sandbox' | (string & {});

export class GenwayVideoModel implements VideoModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'genway.video';
  /** One genway generation makes one video; the SDK makes one call per video asked for. */
  readonly maxVideosPerCall = 1;

  constructor(
    readonly modelId: GenwayVideoModelId,
    private readonly context: GenwayModelContext,
  ) {}

  async doGenerate(call: VideoModelV3CallOptions): Promise<Awaited<ReturnType<VideoModelV3['doGenerate']>>> {
    const warnings = warningsOf(call);
    const frame = (type: 'first_frame' | 'last_frame') => call.frameImages?.find((each) => each.frameType === type)?.image;
    const firstFrame = call.image ?? frame('first_frame');
    const lastFrame = frame('last_frame');
    const references = call.inputReferences?.map(fileReference);
    const options = {
      ...(call.aspectRatio && call.aspectRatio !== 'adaptive' ? { aspectRatio: call.aspectRatio } : {}),
      ...(call.duration === undefined ? {} : { duration: call.duration }),
      ...(call.seed === undefined ? {} : { seed: call.seed }),
      ...(call.generateAudio === undefined ? {} : { audio: call.generateAudio }),
      ...genwayOptionsOf(call.providerOptions),
    };
    const { generation, files } = await generateFiles(
      this.context,
      {
        type: 'VIDEO',
        provider: this.modelId,
        input: {
          text: call.prompt,
          image: firstFrame && fileReference(firstFrame),
          endImage: lastFrame && fileReference(lastFrame),
          references: references?.length ? references : undefined,
        },
        options,
      },
      call,
      settingNamesOf(call),
    );
    return {
      videos: files.slice(0, 1).map((file) => ({ type: 'binary' as const, data: file.bytes, mediaType: file.mediaType })),
      warnings,
      providerMetadata: { genway: { generationId: generation.id, creditCost: generation.creditCost } },
      response: responseOf(this.modelId, generation),
    };
  }
}

function settingNamesOf(call: VideoModelV3CallOptions): Record<string, string> {
  const given = (setting: keyof VideoModelV3CallOptions, field: string) => (call[setting] === undefined ? {} : { [field]: setting });
  return {
    ...given('aspectRatio', 'options.aspectRatio'),
    ...given('duration', 'options.duration'),
    ...given('seed', 'options.seed'),
    ...given('generateAudio', 'options.audio'),
    'input.text': 'prompt',
    'input.image': call.image ? 'image' : 'frameImages',
    'input.endImage': 'frameImages',
    'input.references': 'inputReferences',
  };
}

function warningsOf(call: VideoModelV3CallOptions): SharedV3Warning[] {
  const warnings: SharedV3Warning[] = [];
  if (call.n > 1) warnings.push(unsupported('n', 'genway makes one video per generation; this call makes one'));
  if (call.resolution !== undefined) warnings.push(unsupported('resolution', 'genway sizes videos by aspectRatio; pass a provider resolution in providerOptions.genway'));
  if (call.fps !== undefined) warnings.push(unsupported('fps', 'genway has no frame-rate setting'));
  return warnings;
}

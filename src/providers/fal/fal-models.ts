import { seedField } from '../shared/option-helpers.ts';
import type { HostedProviderId, OptionsOf, SubmitRequest } from '../spec.ts';
import type { FalModel } from './fal-client.ts';

/*
 * The models fal hosts for genway's providers, each mapped from its provider's typed options (which the spec
 * carries: a provider folder is never imported). Endpoint ids and inputs from fal's model API pages; prices from
 * fal's model pages.
 */

const seedance: FalModel<OptionsOf<'seedance'>> = {
  path: (request) => `fal-ai/bytedance/seedance/v1/${request.options.model === 'seedance-1-lite' ? 'lite' : 'pro'}/${request.input.image ? 'image-to-video' : 'text-to-video'}`,
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      resolution: options.resolution,
      duration: String(options.duration),
      camera_fixed: options.cameraFixed,
      ...(request.input.image ? { image_url: request.input.image } : { aspect_ratio: options.aspectRatio }),
      ...seedField(options),
    };
  },
};

type SeedreamOptions = OptionsOf<'seedream'>;
const longSideOfSize: Record<SeedreamOptions['size'], number> = { '1K': 1024, '2K': 2048, '4K': 4096 };
/** Seedream takes a pixel size: the aspect ratio at the long side the size names. */
function seedreamSize(options: SeedreamOptions) {
  const [width, height] = options.aspectRatio.split(':').map(Number) as [number, number];
  const scale = longSideOfSize[options.size] / Math.max(width, height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

const seedream: FalModel<SeedreamOptions> = {
  path: (request) => `fal-ai/bytedance/seedream/v4/${request.input.image || request.input.references?.length ? 'edit' : 'text-to-image'}`,
  input: (request) => {
    const images = [...(request.input.image ? [request.input.image] : []), ...(request.input.references ?? [])];
    return {
      prompt: request.input.text,
      image_size: seedreamSize(request.options),
      num_images: 1,
      ...(images.length > 0 ? { image_urls: images } : {}),
      ...seedField(request.options),
    };
  },
};

/** A script with no audio is spoken first by ElevenLabs on fal, in `input.voice` (default Rachel). */
const omnihuman: FalModel<OptionsOf<'omnihuman'>> = {
  prelude: (request) => (request.input.audio ? null : { path: 'fal-ai/elevenlabs/tts/multilingual-v2', input: { text: request.input.text, voice: request.input.voice ?? 'Rachel' } }),
  path: (request) => (request.options.model === 'omnihuman' ? 'fal-ai/bytedance/omnihuman' : 'fal-ai/bytedance/omnihuman/v1.5'),
  input: (request, prelude) => ({
    image_url: request.input.image,
    audio_url: request.input.audio ?? prelude?.audio?.url,
    ...(request.options.model === 'omnihuman' ? {} : { resolution: request.options.resolution }),
  }),
};

/** Wan 2.2 Animate in "move" mode: the image's character performs the video's motion. */
const motionTransfer: FalModel<OptionsOf<'motion-transfer'>> = {
  path: () => 'fal-ai/wan/v2.2-14b/animate/move',
  input: (request) => ({ video_url: request.input.video, image_url: request.input.image, resolution: request.options.resolution, ...seedField(request.options) }),
};

type KlingOptions = OptionsOf<'kling'>;
/** Kling's model ids as fal's endpoint versions; master models have one tier. */
const klingVersions: Record<KlingOptions['model'], string> = {
  'kling-v1': 'v1',
  'kling-v1-5': 'v1.5',
  'kling-v1-6': 'v1.6',
  'kling-v2-master': 'v2/master',
  'kling-v2-1': 'v2.1',
  'kling-v2-1-master': 'v2.1/master',
  'kling-v2-5-turbo': 'v2.5-turbo',
  'kling-v2-6': 'v2.6',
  'kling-v3': 'v3',
};
export const klingTierOf = (options: Pick<KlingOptions, 'model' | 'mode'>) => (options.model.includes('master') ? 'master' : options.mode === 'pro' ? 'pro' : 'standard');

const kling: FalModel<KlingOptions> = {
  path: (request) => {
    const { options } = request;
    const version = klingVersions[options.model];
    const tier = version.includes('master') ? '' : `/${klingTierOf(options)}`;
    return `fal-ai/kling-video/${version}${tier}/${request.input.image ? 'image-to-video' : 'text-to-video'}`;
  },
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      duration: String(options.duration),
      ...(request.input.negativePrompt ? { negative_prompt: request.input.negativePrompt } : {}),
      ...(typeof options.cfgScale === 'number' ? { cfg_scale: options.cfgScale } : {}),
      ...(request.input.image ? { image_url: request.input.image, ...(request.input.endImage ? { tail_image_url: request.input.endImage } : {}) } : { aspect_ratio: options.aspectRatio }),
    };
  },
};

const toImageOrText = (request: Pick<SubmitRequest, 'input'>) => (request.input.image ? 'image-to-video' : 'text-to-video');

type MinimaxOptions = OptionsOf<'minimax'>;
/** MiniMax's models as fal's endpoints: Hailuo tiers by resolution (pro makes 1080p), the 01 series by name. */
const minimaxEndpoints: Partial<Record<MinimaxOptions['model'], string>> = {
  'MiniMax-Hailuo-2.3': 'hailuo-2.3',
  'MiniMax-Hailuo-2.3-Fast': 'hailuo-2.3-fast',
  'MiniMax-Hailuo-02': 'hailuo-02',
  'T2V-01': 'video-01',
  'I2V-01': 'video-01',
  'T2V-01-Director': 'video-01-director',
  'I2V-01-Director': 'video-01-director',
  'I2V-01-live': 'video-01-live',
};
const minimax: FalModel<MinimaxOptions> = {
  path: (request) => {
    const { options } = request;
    const endpoint = minimaxEndpoints[options.model] ?? 'hailuo-02';
    const tier = endpoint.startsWith('hailuo') ? `/${options.resolution === '1080p' ? 'pro' : 'standard'}` : '';
    return `fal-ai/minimax/${endpoint}${tier}/${toImageOrText(request)}`;
  },
  input: (request) => {
    const { options } = request;
    const prompt = options.style ? `${options.style} style. ${request.input.text ?? ''}` : request.input.text;
    return {
      prompt,
      prompt_optimizer: options.promptOptimizer,
      ...(options.model.startsWith('MiniMax') ? { duration: String(options.duration) } : {}),
      ...(request.input.image ? { image_url: request.input.image } : {}),
    };
  },
};

const luma: FalModel<OptionsOf<'luma'>> = {
  path: (request) => `fal-ai/luma-dream-machine/${request.options.model === 'ray-flash-2' ? 'ray-2-flash' : 'ray-2'}${request.input.image ? '/image-to-video' : ''}`,
  input: (request) => {
    const { options } = request;
    const frames = request.input.image ? { image_url: request.input.image, ...(request.input.endImage ? { end_image_url: request.input.endImage } : {}) } : {};
    return { prompt: request.input.text, aspect_ratio: options.aspectRatio, duration: `${options.duration}s`, resolution: options.resolution, loop: options.loop, ...frames };
  },
};

/** Every FLUX provider id's options: one mapping serves them all, told apart by the options each has. */
type FluxOptions = OptionsOf<'flux-dev' | 'flux-pro' | 'flux-ultra' | 'flux-kontext'>;
/** FLUX on fal: the same models, with fal's parameter names (image_size for the sized ones). */
const fluxEndpoints: Record<FluxOptions['model'], string> = {
  'flux-dev': 'fal-ai/flux/dev',
  'flux-pro-1.1': 'fal-ai/flux-pro/v1.1',
  'flux-pro': 'fal-ai/flux-pro',
  'flux-pro-1.1-ultra': 'fal-ai/flux-pro/v1.1-ultra',
  'flux-kontext-pro': 'fal-ai/flux-pro/kontext',
  'flux-kontext-max': 'fal-ai/flux-pro/kontext/max',
};
const flux: FalModel<FluxOptions> = {
  path: (request) => fluxEndpoints[request.options.model],
  input: (request) => {
    const { options } = request;
    const sized = 'width' in options && typeof options.width === 'number' ? { image_size: { width: options.width, height: options.height } } : { aspect_ratio: options.aspectRatio };
    return {
      prompt: request.input.text,
      output_format: options.outputFormat,
      ...(options.model.includes('ultra') || options.model.includes('kontext') ? { aspect_ratio: options.aspectRatio } : sized),
      ...('steps' in options ? { num_inference_steps: options.steps, guidance_scale: options.guidance } : {}),
      ...('raw' in options ? { raw: options.raw } : {}),
      ...(request.input.image ? { image_url: request.input.image } : {}),
      ...seedField(options),
    };
  },
};

const veo: FalModel<OptionsOf<'veo'>> = {
  path: (request) => `fal-ai/veo3.1${request.options.model.includes('fast') ? '/fast' : ''}${request.input.image ? '/image-to-video' : ''}`,
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      aspect_ratio: options.aspectRatio,
      duration: `${options.duration}s`,
      resolution: options.resolution,
      generate_audio: options.generateAudio,
      ...(request.input.negativePrompt ? { negative_prompt: request.input.negativePrompt } : {}),
      ...(request.input.image ? { image_url: request.input.image } : {}),
      ...seedField(options),
    };
  },
};

/** fal's model for each provider it hosts, each typed by that provider's options. */
export const falModels = {
  seedance,
  seedream,
  omnihuman,
  'motion-transfer': motionTransfer,
  kling,
  minimax,
  luma,
  'flux-dev': flux,
  'flux-pro': flux,
  'flux-ultra': flux,
  'flux-kontext': flux,
  veo,
} satisfies { [Id in HostedProviderId]?: FalModel<OptionsOf<Id>> };

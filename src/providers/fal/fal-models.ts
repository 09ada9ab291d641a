import type { SubmitRequest } from '../spec.ts';
import type { FalModel } from './fal-client.ts';

/*
 * The models fal hosts for genway's providers, with each provider's options read by shape (a provider folder is
 * never imported). Endpoint ids and inputs from fal's model API pages; prices from fal's model pages.
 */

type Options = Record<string, unknown>;
const optionsOf = (request: SubmitRequest) => request.options as Options;
const withSeed = (options: Options) => (typeof options.seed === 'number' ? { seed: options.seed } : {});

const seedance: FalModel = {
  path: (request) => `fal-ai/bytedance/seedance/v1/${optionsOf(request).model === 'seedance-1-lite' ? 'lite' : 'pro'}/${request.input.image ? 'image-to-video' : 'text-to-video'}`,
  input: (request) => {
    const options = optionsOf(request);
    return {
      prompt: request.input.text,
      resolution: options.resolution,
      duration: String(options.duration),
      camera_fixed: options.cameraFixed,
      ...(request.input.image ? { image_url: request.input.image } : { aspect_ratio: options.aspectRatio }),
      ...withSeed(options),
    };
  },
};

const longSideOfSize: Record<string, number> = { '1K': 1024, '2K': 2048, '4K': 4096 };
/** Seedream takes a pixel size: the aspect ratio at the long side the size names. */
function seedreamSize(options: Options) {
  const [width, height] = String(options.aspectRatio ?? '1:1')
    .split(':')
    .map(Number) as [number, number];
  const scale = (longSideOfSize[String(options.size)] ?? 2048) / Math.max(width, height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

const seedream: FalModel = {
  path: (request) => `fal-ai/bytedance/seedream/v4/${request.input.image || request.input.references?.length ? 'edit' : 'text-to-image'}`,
  input: (request) => {
    const images = [...(request.input.image ? [request.input.image] : []), ...(request.input.references ?? [])];
    return { prompt: request.input.text, image_size: seedreamSize(optionsOf(request)), num_images: 1, ...(images.length > 0 ? { image_urls: images } : {}), ...withSeed(optionsOf(request)) };
  },
};

const omnihuman: FalModel = {
  path: (request) => (optionsOf(request).model === 'omnihuman' ? 'fal-ai/bytedance/omnihuman' : 'fal-ai/bytedance/omnihuman/v1.5'),
  input: (request) => ({ image_url: request.input.image, audio_url: request.input.audio, ...(optionsOf(request).model === 'omnihuman' ? {} : { resolution: optionsOf(request).resolution }) }),
};

/** Wan 2.2 Animate in "move" mode: the image's character performs the video's motion. */
const motionTransfer: FalModel = {
  path: () => 'fal-ai/wan/v2.2-14b/animate/move',
  input: (request) => ({ video_url: request.input.video, image_url: request.input.image, resolution: optionsOf(request).resolution, ...withSeed(optionsOf(request)) }),
};

/** Kling's model ids as fal's endpoint versions; master models have one tier. */
const klingVersions: Record<string, string> = {
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
export const klingTierOf = (options: Options) => (String(options.model).includes('master') ? 'master' : options.mode === 'pro' ? 'pro' : 'standard');

const kling: FalModel = {
  path: (request) => {
    const options = optionsOf(request);
    const version = klingVersions[String(options.model)] ?? 'v1.6';
    const tier = version.includes('master') ? '' : `/${klingTierOf(options)}`;
    return `fal-ai/kling-video/${version}${tier}/${request.input.image ? 'image-to-video' : 'text-to-video'}`;
  },
  input: (request) => {
    const options = optionsOf(request);
    return {
      prompt: request.input.text,
      duration: String(options.duration),
      ...(request.input.negativePrompt ? { negative_prompt: request.input.negativePrompt } : {}),
      ...(typeof options.cfgScale === 'number' ? { cfg_scale: options.cfgScale } : {}),
      ...(request.input.image ? { image_url: request.input.image, ...(request.input.endImage ? { tail_image_url: request.input.endImage } : {}) } : { aspect_ratio: options.aspectRatio }),
    };
  },
};

export const falModels = { seedance, seedream, omnihuman, 'motion-transfer': motionTransfer, kling };

import { hostedOptionsOf, seedField } from '../shared/option-helpers.ts';
import type { SubmitRequest } from '../spec.ts';
import type { FalModel } from './fal-client.ts';

/*
 * The models fal hosts for genway's providers, with each provider's options read by shape (a provider folder is
 * never imported). Endpoint ids and inputs from fal's model API pages; prices from fal's model pages.
 */

type Options = Record<string, unknown>;

const seedance: FalModel = {
  path: (request) => `fal-ai/bytedance/seedance/v1/${hostedOptionsOf(request).model === 'seedance-1-lite' ? 'lite' : 'pro'}/${request.input.image ? 'image-to-video' : 'text-to-video'}`,
  input: (request) => {
    const options = hostedOptionsOf(request);
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
    return {
      prompt: request.input.text,
      image_size: seedreamSize(hostedOptionsOf(request)),
      num_images: 1,
      ...(images.length > 0 ? { image_urls: images } : {}),
      ...seedField(hostedOptionsOf(request)),
    };
  },
};

/** A script with no audio is spoken first by ElevenLabs on fal, in `input.voice` (default Rachel). */
const omnihuman: FalModel = {
  prelude: (request) => (request.input.audio ? null : { path: 'fal-ai/elevenlabs/tts/multilingual-v2', input: { text: request.input.text, voice: request.input.voice ?? 'Rachel' } }),
  path: (request) => (hostedOptionsOf(request).model === 'omnihuman' ? 'fal-ai/bytedance/omnihuman' : 'fal-ai/bytedance/omnihuman/v1.5'),
  input: (request, prelude) => ({
    image_url: request.input.image,
    audio_url: request.input.audio ?? prelude?.audio?.url,
    ...(hostedOptionsOf(request).model === 'omnihuman' ? {} : { resolution: hostedOptionsOf(request).resolution }),
  }),
};

/** Wan 2.2 Animate in "move" mode: the image's character performs the video's motion. */
const motionTransfer: FalModel = {
  path: () => 'fal-ai/wan/v2.2-14b/animate/move',
  input: (request) => ({ video_url: request.input.video, image_url: request.input.image, resolution: hostedOptionsOf(request).resolution, ...seedField(hostedOptionsOf(request)) }),
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
    const options = hostedOptionsOf(request);
    const version = klingVersions[String(options.model)] ?? 'v1.6';
    const tier = version.includes('master') ? '' : `/${klingTierOf(options)}`;
    return `fal-ai/kling-video/${version}${tier}/${request.input.image ? 'image-to-video' : 'text-to-video'}`;
  },
  input: (request) => {
    const options = hostedOptionsOf(request);
    return {
      prompt: request.input.text,
      duration: String(options.duration),
      ...(request.input.negativePrompt ? { negative_prompt: request.input.negativePrompt } : {}),
      ...(typeof options.cfgScale === 'number' ? { cfg_scale: options.cfgScale } : {}),
      ...(request.input.image ? { image_url: request.input.image, ...(request.input.endImage ? { tail_image_url: request.input.endImage } : {}) } : { aspect_ratio: options.aspectRatio }),
    };
  },
};

const toImageOrText = (request: SubmitRequest) => (request.input.image ? 'image-to-video' : 'text-to-video');

/** MiniMax's models as fal's endpoints: Hailuo tiers by resolution (pro makes 1080p), the 01 series by name. */
const minimaxEndpoints: Record<string, string> = {
  'MiniMax-Hailuo-2.3': 'hailuo-2.3',
  'MiniMax-Hailuo-2.3-Fast': 'hailuo-2.3-fast',
  'MiniMax-Hailuo-02': 'hailuo-02',
  'T2V-01': 'video-01',
  'I2V-01': 'video-01',
  'T2V-01-Director': 'video-01-director',
  'I2V-01-Director': 'video-01-director',
  'I2V-01-live': 'video-01-live',
};
const minimax: FalModel = {
  path: (request) => {
    const options = hostedOptionsOf(request);
    const endpoint = minimaxEndpoints[String(options.model)] ?? 'hailuo-02';
    const tier = endpoint.startsWith('hailuo') ? `/${options.resolution === '1080p' ? 'pro' : 'standard'}` : '';
    return `fal-ai/minimax/${endpoint}${tier}/${toImageOrText(request)}`;
  },
  input: (request) => {
    const options = hostedOptionsOf(request);
    const prompt = options.style ? `${options.style} style. ${request.input.text ?? ''}` : request.input.text;
    return {
      prompt,
      prompt_optimizer: options.promptOptimizer,
      ...(String(options.model).startsWith('MiniMax') ? { duration: String(options.duration) } : {}),
      ...(request.input.image ? { image_url: request.input.image } : {}),
    };
  },
};

const luma: FalModel = {
  path: (request) => `fal-ai/luma-dream-machine/${hostedOptionsOf(request).model === 'ray-flash-2' ? 'ray-2-flash' : 'ray-2'}${request.input.image ? '/image-to-video' : ''}`,
  input: (request) => {
    const options = hostedOptionsOf(request);
    const frames = request.input.image ? { image_url: request.input.image, ...(request.input.endImage ? { end_image_url: request.input.endImage } : {}) } : {};
    return { prompt: request.input.text, aspect_ratio: options.aspectRatio, duration: `${options.duration}s`, resolution: options.resolution, loop: options.loop, ...frames };
  },
};

/** FLUX on fal: the same models, with fal's parameter names (image_size for the sized ones). */
const fluxEndpoints: Record<string, string> = {
  'flux-dev': 'fal-ai/flux/dev',
  'flux-pro-1.1': 'fal-ai/flux-pro/v1.1',
  'flux-pro': 'fal-ai/flux-pro',
  'flux-pro-1.1-ultra': 'fal-ai/flux-pro/v1.1-ultra',
  'flux-kontext-pro': 'fal-ai/flux-pro/kontext',
  'flux-kontext-max': 'fal-ai/flux-pro/kontext/max',
};
const flux: FalModel = {
  path: (request) => fluxEndpoints[String(hostedOptionsOf(request).model)] ?? 'fal-ai/flux/dev',
  input: (request) => {
    const options = hostedOptionsOf(request);
    const sized = typeof options.width === 'number' ? { image_size: { width: options.width, height: options.height } } : { aspect_ratio: options.aspectRatio };
    return {
      prompt: request.input.text,
      output_format: options.outputFormat,
      ...(String(options.model).includes('ultra') || String(options.model).includes('kontext') ? { aspect_ratio: options.aspectRatio } : sized),
      ...(typeof options.steps === 'number' ? { num_inference_steps: options.steps, guidance_scale: options.guidance } : {}),
      ...(typeof options.raw === 'boolean' ? { raw: options.raw } : {}),
      ...(request.input.image ? { image_url: request.input.image } : {}),
      ...seedField(options),
    };
  },
};

const veo: FalModel = {
  path: (request) => `fal-ai/veo3.1${String(hostedOptionsOf(request).model).includes('fast') ? '/fast' : ''}${request.input.image ? '/image-to-video' : ''}`,
  input: (request) => {
    const options = hostedOptionsOf(request);
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
};

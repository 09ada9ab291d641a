import { seedField } from '../shared/option-helpers.ts';
import type { HostedProviderId, OptionsOf } from '../spec.ts';
import type { ReplicateModel } from './replicate-client.ts';

/*
 * The official models Replicate hosts for genway's providers, each mapped from its provider's typed options (which
 * the spec carries: a provider folder is never imported). Names and inputs from the models' API pages on Replicate.
 */

const seedance: ReplicateModel<OptionsOf<'seedance'>> = {
  name: (request) => (request.options.model === 'seedance-1-lite' ? 'bytedance/seedance-1-lite' : 'bytedance/seedance-1-pro'),
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      duration: options.duration,
      resolution: options.resolution,
      aspect_ratio: options.aspectRatio,
      camera_fixed: options.cameraFixed,
      ...(request.input.image ? { image: request.input.image } : {}),
      ...(request.input.endImage ? { last_frame_image: request.input.endImage } : {}),
      ...seedField(options),
    };
  },
};

const seedream: ReplicateModel<OptionsOf<'seedream'>> = {
  name: () => 'bytedance/seedream-4',
  input: (request) => {
    const images = [...(request.input.image ? [request.input.image] : []), ...(request.input.references ?? [])];
    const { options } = request;
    return { prompt: request.input.text, size: options.size, aspect_ratio: options.aspectRatio, max_images: 1, ...(images.length > 0 ? { image_input: images } : {}), ...seedField(options) };
  },
};

/** A script with no audio is spoken first by MiniMax Speech on Replicate, in `input.voice` (default Wise_Woman). */
const omnihuman: ReplicateModel<OptionsOf<'omnihuman'>> = {
  prelude: (request) => (request.input.audio ? null : { name: 'minimax/speech-02-turbo', input: { text: request.input.text, voice_id: request.input.voice ?? 'Wise_Woman' } }),
  name: () => 'bytedance/omni-human',
  input: (request, speech) => ({ image: request.input.image, audio: request.input.audio ?? speech }),
};

/** Wan 2.2 Animate's animation mode: the character image performs the reference video's motion. */
const motionTransfer: ReplicateModel<OptionsOf<'motion-transfer'>> = {
  name: () => 'wan-video/wan-2.2-animate-animation',
  input: (request) => ({ video: request.input.video, character_image: request.input.image, resolution: request.options.resolution, ...seedField(request.options) }),
};

type KlingOptions = OptionsOf<'kling'>;
/** Kling's official models on Replicate (kwaivgi/…): v1.6 in both tiers, the v2 family by name. */
const klingNames: Partial<Record<KlingOptions['model'], string>> = {
  'kling-v2-master': 'kwaivgi/kling-v2.0',
  'kling-v2-1': 'kwaivgi/kling-v2.1',
  'kling-v2-1-master': 'kwaivgi/kling-v2.1-master',
  'kling-v2-5-turbo': 'kwaivgi/kling-v2.5-turbo-pro',
};

const kling: ReplicateModel<KlingOptions> = {
  name: (request) => {
    const { options } = request;
    return klingNames[options.model] ?? (options.mode === 'pro' ? 'kwaivgi/kling-v1.6-pro' : 'kwaivgi/kling-v1.6-standard');
  },
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      duration: options.duration,
      ...(request.input.negativePrompt ? { negative_prompt: request.input.negativePrompt } : {}),
      ...(typeof options.cfgScale === 'number' ? { cfg_scale: options.cfgScale } : {}),
      ...(request.input.image ? { start_image: request.input.image, ...(request.input.endImage ? { end_image: request.input.endImage } : {}) } : { aspect_ratio: options.aspectRatio }),
    };
  },
};

const minimax: ReplicateModel<OptionsOf<'minimax'>> = {
  name: (request) => (request.options.model.startsWith('MiniMax-Hailuo-2.3') ? 'minimax/hailuo-2.3' : request.options.model.startsWith('MiniMax') ? 'minimax/hailuo-02' : 'minimax/video-01'),
  input: (request) => {
    const { options } = request;
    const prompt = options.style ? `${options.style} style. ${request.input.text ?? ''}` : request.input.text;
    return {
      prompt,
      prompt_optimizer: options.promptOptimizer,
      duration: options.duration,
      ...(options.resolution ? { resolution: options.resolution } : {}),
      ...(request.input.image ? { first_frame_image: request.input.image } : {}),
    };
  },
};

/** Luma's models on Replicate are named by model and resolution (luma/ray-2-720p, luma/ray-flash-2-540p…). */
const luma: ReplicateModel<OptionsOf<'luma'>> = {
  name: (request) => {
    const { options } = request;
    const resolution = options.resolution === '540p' ? '540p' : '720p';
    return `luma/${options.model === 'ray-flash-2' ? 'ray-flash-2' : 'ray-2'}-${resolution}`;
  },
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      aspect_ratio: options.aspectRatio,
      duration: options.duration,
      loop: options.loop,
      ...(request.input.image ? { start_image: request.input.image } : {}),
      ...(request.input.endImage ? { end_image: request.input.endImage } : {}),
    };
  },
};

/** Every FLUX provider id's options: one mapping serves them all, told apart by the options each has. */
type FluxOptions = OptionsOf<'flux-dev' | 'flux-pro' | 'flux-ultra' | 'flux-kontext'>;
const fluxNames: Record<FluxOptions['model'], string> = {
  'flux-dev': 'black-forest-labs/flux-dev',
  'flux-pro-1.1': 'black-forest-labs/flux-1.1-pro',
  'flux-pro': 'black-forest-labs/flux-pro',
  'flux-pro-1.1-ultra': 'black-forest-labs/flux-1.1-pro-ultra',
  'flux-kontext-pro': 'black-forest-labs/flux-kontext-pro',
  'flux-kontext-max': 'black-forest-labs/flux-kontext-max',
};
const flux: ReplicateModel<FluxOptions> = {
  name: (request) => fluxNames[request.options.model],
  input: (request) => {
    const { options } = request;
    const image = request.input.image ? { [options.model.includes('kontext') ? 'input_image' : 'image_prompt']: request.input.image } : {};
    return {
      prompt: request.input.text,
      aspect_ratio: options.aspectRatio,
      output_format: options.outputFormat === 'jpeg' ? 'jpg' : options.outputFormat,
      ...('raw' in options ? { raw: options.raw } : {}),
      ...('steps' in options ? { num_inference_steps: options.steps, guidance: options.guidance } : {}),
      ...image,
      ...seedField(options),
    };
  },
};

const veo: ReplicateModel<OptionsOf<'veo'>> = {
  name: (request) => (request.options.model.includes('fast') ? 'google/veo-3.1-fast' : 'google/veo-3.1'),
  input: (request) => {
    const { options } = request;
    return {
      prompt: request.input.text,
      aspect_ratio: options.aspectRatio,
      duration: options.duration,
      resolution: options.resolution,
      generate_audio: options.generateAudio,
      ...(request.input.negativePrompt ? { negative_prompt: request.input.negativePrompt } : {}),
      ...(request.input.image ? { image: request.input.image } : {}),
      ...(request.input.endImage ? { last_frame: request.input.endImage } : {}),
      ...seedField(options),
    };
  },
};

/** Replicate's model for each provider it hosts, each typed by that provider's options. */
export const replicateModels = {
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
} satisfies { [Id in HostedProviderId]?: ReplicateModel<OptionsOf<Id>> };

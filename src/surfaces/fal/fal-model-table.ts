import type { GenerationType } from '../../generations/generation.ts';

/** What a fal endpoint id runs as here: a genway provider, the options the id fixes (its model, tier), and how it is sized. */
export interface FalModelRoute {
  provider: string;
  type: GenerationType;
  /** Options the endpoint id itself decides (`model`, Kling's `mode`); the client's input cannot change them. */
  fixed: Record<string, unknown>;
  /** `pixels`: `image_size: {width, height}` is the provider's own width and height; `ratio`: it becomes an aspect ratio. */
  sizing: 'pixels' | 'ratio';
  /** Image-to-video endpoints animate `image_url`, which they require. */
  imageRequired: boolean;
}

const image = (provider: string, fixed: Record<string, unknown> = {}, sizing: FalModelRoute['sizing'] = 'ratio'): FalModelRoute => ({
  provider,
  type: 'IMAGE',
  fixed,
  sizing,
  imageRequired: false,
});
const video = (provider: string, fixed: Record<string, unknown>, imageRequired = false): FalModelRoute => ({ provider, type: 'VIDEO', fixed, sizing: 'ratio', imageRequired });

const speech = (model: string): FalModelRoute => ({ provider: 'elevenlabs', type: 'AUDIO', fixed: { model }, sizing: 'ratio', imageRequired: false });

/** Each text-to-video id with its image-to-video sibling. */
function withImageToVideo(textId: string, provider: string, fixed: Record<string, unknown>, imageFixed = fixed): Array<[string, FalModelRoute]> {
  return [
    [textId, video(provider, fixed)],
    [textId.replace(/text-to-video$/, 'image-to-video'), video(provider, imageFixed, true)],
  ];
}

/** Kling's models by fal's endpoint version; master models have one tier, the others a standard and a pro one. */
const klingVersions: Array<[version: string, model: string]> = [
  ['v1', 'kling-v1'],
  ['v1.5', 'kling-v1-5'],
  ['v1.6', 'kling-v1-6'],
  ['v2/master', 'kling-v2-master'],
  ['v2.1', 'kling-v2-1'],
  ['v2.1/master', 'kling-v2-1-master'],
  ['v2.5-turbo', 'kling-v2-5-turbo'],
  ['v2.6', 'kling-v2-6'],
  ['v3', 'kling-v3'],
];
const klingIds = klingVersions.flatMap(([version, model]) =>
  version.endsWith('master')
    ? withImageToVideo(`fal-ai/kling-video/${version}/text-to-video`, 'kling', { model })
    : [
        ...withImageToVideo(`fal-ai/kling-video/${version}/standard/text-to-video`, 'kling', { model, mode: 'std' }),
        ...withImageToVideo(`fal-ai/kling-video/${version}/pro/text-to-video`, 'kling', { model, mode: 'pro' }),
      ],
);

const seedanceIds = (['pro', 'lite'] as const).flatMap((tier) => withImageToVideo(`fal-ai/bytedance/seedance/v1/${tier}/text-to-video`, 'seedance', { model: `seedance-1-${tier}` }));

/**
 * fal endpoint ids and the genway provider each runs on (README, "fal compatibility"). A request to an id not here is
 * a 404: nothing is ever forwarded to fal itself.
 */
export const falModelTable = new Map<string, FalModelRoute>([
  ['fal-ai/flux/dev', image('flux-dev', {}, 'pixels')],
  ['fal-ai/flux-pro', image('flux-pro', { model: 'flux-pro' }, 'pixels')],
  ['fal-ai/flux-pro/v1.1', image('flux-pro', { model: 'flux-pro-1.1' }, 'pixels')],
  ['fal-ai/flux-pro/v1.1-ultra', image('flux-ultra')],
  ['fal-ai/flux-pro/kontext', image('flux-kontext', { model: 'flux-kontext-pro' })],
  ['fal-ai/flux-pro/kontext/max', image('flux-kontext', { model: 'flux-kontext-max' })],
  ['fal-ai/bytedance/seedream/v4/text-to-image', image('seedream')],
  ['fal-ai/bytedance/seedream/v4/edit', image('seedream')],
  ...seedanceIds,
  ...klingIds,
  ['fal-ai/minimax/video-01', video('minimax', { model: 'T2V-01' })],
  ['fal-ai/minimax/video-01/image-to-video', video('minimax', { model: 'I2V-01' }, true)],
  ['fal-ai/minimax/video-01-live/image-to-video', video('minimax', { model: 'I2V-01-live' }, true)],
  ...withImageToVideo('fal-ai/minimax/hailuo-02/standard/text-to-video', 'minimax', { model: 'MiniMax-Hailuo-02', resolution: '768p' }),
  ...withImageToVideo('fal-ai/minimax/hailuo-02/pro/text-to-video', 'minimax', { model: 'MiniMax-Hailuo-02', resolution: '1080p' }),
  ['fal-ai/elevenlabs/tts/multilingual-v2', speech('eleven_multilingual_v2')],
  ['fal-ai/elevenlabs/tts/eleven-v3', speech('eleven_v3')],
  ['fal-ai/veo3', video('veo', { model: 'veo-3.1-generate-001' })],
  ['fal-ai/veo3/fast', video('veo', { model: 'veo-3.1-fast-generate-001' })],
  ['fal-ai/veo3.1', video('veo', { model: 'veo-3.1-generate-001' })],
  ['fal-ai/veo3.1/fast', video('veo', { model: 'veo-3.1-fast-generate-001' })],
  ['fal-ai/veo3.1/image-to-video', video('veo', { model: 'veo-3.1-generate-001' }, true)],
  ['fal-ai/veo3.1/fast/image-to-video', video('veo', { model: 'veo-3.1-fast-generate-001' }, true)],
]);

import { createHash } from 'node:crypto';
import type { GenerationType } from '../../generations/generation.ts';

/** A Replicate model name and the genway provider (and, where the name pins one, the provider's model) behind it. */
export interface ReplicateModel {
  name: `${string}/${string}`;
  provider: string;
  type: GenerationType;
  /** `options.model` for the provider; unset, the provider's default model. */
  model?: string;
  /** Replicate's model returns a list of files (FLUX dev, Seedream), else one file. */
  output: 'one' | 'list';
  description: string;
}

/** Replicate's official model names, as its clients call them; the README's table lists the same rows. */
export const replicateModels: readonly ReplicateModel[] = [
  { name: 'black-forest-labs/flux-dev', provider: 'flux-dev', type: 'IMAGE', output: 'list', description: 'FLUX.1 [dev] text to image' },
  { name: 'black-forest-labs/flux-1.1-pro', provider: 'flux-pro', type: 'IMAGE', model: 'flux-pro-1.1', output: 'one', description: 'FLUX1.1 [pro] text to image' },
  { name: 'black-forest-labs/flux-1.1-pro-ultra', provider: 'flux-ultra', type: 'IMAGE', output: 'one', description: 'FLUX1.1 [pro] ultra, up to 4 megapixels' },
  { name: 'black-forest-labs/flux-kontext-pro', provider: 'flux-kontext', type: 'IMAGE', model: 'flux-kontext-pro', output: 'one', description: 'FLUX.1 Kontext [pro] image editing' },
  { name: 'black-forest-labs/flux-kontext-max', provider: 'flux-kontext', type: 'IMAGE', model: 'flux-kontext-max', output: 'one', description: 'FLUX.1 Kontext [max] image editing' },
  { name: 'bytedance/seedance-1-pro', provider: 'seedance', type: 'VIDEO', model: 'seedance-1-pro', output: 'one', description: 'Seedance 1.0 Pro text or image to video' },
  { name: 'bytedance/seedance-1-lite', provider: 'seedance', type: 'VIDEO', model: 'seedance-1-lite', output: 'one', description: 'Seedance 1.0 Lite text or image to video' },
  { name: 'bytedance/seedream-4', provider: 'seedream', type: 'IMAGE', output: 'list', description: 'Seedream 4.0 text to image' },
  { name: 'bytedance/omni-human', provider: 'omnihuman', type: 'AVATAR', output: 'one', description: 'OmniHuman: a portrait and speech to a talking video' },
  { name: 'kwaivgi/kling-v2.1', provider: 'kling', type: 'VIDEO', model: 'kling-v2-1', output: 'one', description: 'Kling 2.1 image to video' },
  { name: 'minimax/video-01', provider: 'minimax', type: 'VIDEO', output: 'one', description: 'MiniMax Hailuo video' },
  { name: 'google/veo-3', provider: 'veo', type: 'VIDEO', output: 'one', description: 'Veo 3 text or image to video with sound' },
  { name: 'luma/ray', provider: 'luma', type: 'VIDEO', output: 'one', description: 'Luma Ray text or image to video' },
  { name: 'wan-video/wan-2.2-animate-animation', provider: 'motion-transfer', type: 'VIDEO', output: 'one', description: 'Wan 2.2 Animate: a character performs the motion of a video' },
];

const byName = new Map(replicateModels.map((model) => [model.name, model]));

/** Replicate names versions by a 64-hex id; each model here has one, derived from its name so every process agrees. */
export const versionIdOf = (model: ReplicateModel) => createHash('sha256').update(model.name).digest('hex');
const byVersion = new Map(replicateModels.map((model) => [versionIdOf(model), model]));

/** A model by `owner/name`, `owner/name:version` or a version id; undefined when none is mapped. */
export function findReplicateModel(reference: string): ReplicateModel | undefined {
  const [name, version] = reference.split(':');
  const model = byName.get(name as ReplicateModel['name']) ?? byVersion.get(reference);
  return version === undefined || (model && versionIdOf(model) === version) ? model : undefined;
}

/** The Replicate name a generation shows: the row of its provider and model, else the provider's first row. */
export function replicateModelOf(provider: string, model: string | null): ReplicateModel | undefined {
  const rows = replicateModels.filter((row) => row.provider === provider);
  return rows.find((row) => row.model !== undefined && row.model === model) ?? rows[0];
}

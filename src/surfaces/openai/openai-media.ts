import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerationType } from '../../generations/generation.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { OptionDescriptor } from '../../providers/shared/option-descriptors.ts';
import type { LocalDiskStore } from '../../storage/local-disk-store.ts';
import { filesRoutePrefix } from '../../storage/local-disk-store.ts';
import { unknownModelError } from './openai-errors.ts';

export type OpenAiRegistry = Pick<ProviderRegistry, 'get' | 'list' | 'options'>;

/** The provider an OpenAI `model` names: a genway provider id that makes `type`. */
export function providerFor(registry: OpenAiRegistry, model: string, type: GenerationType) {
  const definition = registry.get(model);
  if (!definition) throw unknownModelError(model);
  if (!definition.types.includes(type)) {
    const makers = registry.list(type).map((each) => each.id);
    throw new GatewayError('INVALID_INPUT', `The model '${model}' does not make ${type.toLowerCase()}; these do: ${makers.join(', ')}`, { details: { field: 'provider' } });
  }
  return { definition, options: registry.options(definition.id) };
}

export const hasOption = (options: OptionDescriptor[], name: string) => options.find((option) => option.name === name);

const ratioOf = (text: string) => {
  const [width, height] = text.split(':').map(Number);
  return width && height ? width / height : Number.NaN;
};

/**
 * OpenAI's `size` (`1024x1024`, `1536x1024`…) as the provider's own size option: exact pixels where it takes
 * `width`/`height`, else the closest aspect ratio it offers (`1792x1024` → `16:9`). A provider with neither is
 * sized by its defaults.
 */
export function sizeOptions(options: OptionDescriptor[], size: string | undefined): Record<string, unknown> {
  const match = size ? /^(\d{2,5})x(\d{2,5})$/.exec(size) : null;
  if (!match) return {};
  const [width, height] = [Number(match[1]), Number(match[2])];
  if (hasOption(options, 'width') && hasOption(options, 'height')) return { width, height };
  const aspect = hasOption(options, 'aspectRatio');
  if (!aspect) return {};
  const wanted = width / height;
  const offered = (aspect.allowedValues ?? []).filter((value) => Number.isFinite(ratioOf(value)));
  if (offered.length === 0) {
    const divisor = greatestCommonDivisor(width, height);
    return { aspectRatio: `${width / divisor}:${height / divisor}` };
  }
  const distance = (value: string) => Math.abs(Math.log(ratioOf(value) / wanted));
  return { aspectRatio: offered.reduce((best, value) => (distance(value) < distance(best) ? value : best)) };
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

export type OutputFiles = Pick<LocalDiskStore, 'root'>;

/**
 * The bytes of a stored output, read from the store's root by the key in its URL (the store has no read call;
 * the key is the part after /files/, which the store itself wrote).
 */
export async function readOutput(store: OutputFiles, url: string): Promise<Buffer> {
  const pathname = new URL(url).pathname;
  const start = pathname.indexOf(filesRoutePrefix);
  const key = start >= 0 ? decodeURIComponent(pathname.slice(start + filesRoutePrefix.length)) : '';
  const file = path.resolve(store.root, key);
  if (!key || !file.startsWith(path.resolve(store.root) + path.sep)) throw new GatewayError('INTERNAL', "The output is not in this gateway's storage");
  return readFile(file);
}

/** Seconds since the epoch, as OpenAI's timestamps are. */
export const unixSeconds = (milliseconds: number) => Math.floor(milliseconds / 1000);

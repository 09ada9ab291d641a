import { rm } from 'node:fs/promises';
import type { MediaMetadata } from '../media/media-metadata.ts';
import { probeMedia, probeMediaFile } from '../media/probe-media.ts';
import type { ProviderOutput } from '../providers/spec.ts';
import type { OutputStore } from '../storage/output-store.ts';

export interface OutputStoring {
  store: Pick<OutputStore, 'put' | 'putFile' | 'incomingPath'>;
  /** Fetches an upstream output (size-capped, media only): its bytes when small, else streamed to `spillPath`. */
  downloadOutput(url: string, headers: Record<string, string> | undefined, spillPath: string): Promise<{ bytes: Uint8Array } | { file: string }>;
}

async function storeBytes({ store }: OutputStoring, key: string, bytes: Uint8Array) {
  const probed = await probeMedia(bytes);
  return { url: await store.put(`${key}.${probed.format}`, bytes, probed.contentType), probed };
}

/** An output kept on our storage and probed: bytes as given or downloaded small, a large file streamed to disk (never whole in memory). */
async function storeOutput(storing: OutputStoring, key: string, output: ProviderOutput) {
  if ('bytes' in output) return storeBytes(storing, key, output.bytes);
  const downloaded = await storing.downloadOutput(output.url, output.headers, storing.store.incomingPath());
  if ('bytes' in downloaded) return storeBytes(storing, key, downloaded.bytes);
  try {
    const probed = await probeMediaFile(downloaded.file);
    return { url: await storing.store.putFile(`${key}.${probed.format}`, downloaded.file, probed.contentType), probed };
  } catch (error) {
    await rm(downloaded.file, { force: true });
    throw error;
  }
}

/** Stores a generation's outputs in order (`<id>/<index>.<format>`); the metadata is the first output's. */
export async function storeOutputs(storing: OutputStoring, generationId: string, outputs: ProviderOutput[]): Promise<{ urls: string[]; metadata: MediaMetadata | null }> {
  const urls: string[] = [];
  let metadata: MediaMetadata | null = null;
  for (const [index, output] of outputs.entries()) {
    const { url, probed } = await storeOutput(storing, `${generationId}/${index}`, output);
    urls.push(url);
    metadata ??= probed;
  }
  return { urls, metadata };
}

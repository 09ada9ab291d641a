import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { type Dispatcher, request } from 'undici';
import { GatewayError } from '../errors/gateway-error.ts';
import { asStorageError } from './storage-failures.ts';
import { discard } from './storage-files.ts';

export interface DownloadOptions {
  maxBytes: number;
  /** Sent to the URL's own origin only (a vendor's API key); a redirect elsewhere goes without them. */
  headers?: Record<string, string>;
  /** Media types accepted, as a pattern on Content-Type. */
  accept?: RegExp;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** Off for URLs a client gave: a redirect to an address literal would skip the connect-time address check. */
  followRedirects?: boolean;
}

export interface Downloaded {
  bytes: Uint8Array;
  contentType: string;
}

const mediaTypes = /^(image|video|audio)\/|^application\/octet-stream/;
/** Signed-URL hops (Google's file download answers with one redirect); more is a loop. */
const maxRedirects = 5;

type Body = Dispatcher.ResponseData['body'];

/** Follows redirects to the file and checks its status and type; answers its body, not yet read. */
async function openDownload(url: string, options: DownloadOptions): Promise<{ body: Body; contentType: string }> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const origin = new URL(url).origin;
  let target = url;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const headers = new URL(target).origin === origin ? options.headers : undefined;
    const response = await request(target, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, dispatcher: options.dispatcher });
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string' && options.followRedirects !== false) {
      await response.body.dump();
      target = new URL(location, target).toString();
      continue;
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new GatewayError('PROVIDER_UNAVAILABLE', `download answered ${response.statusCode}`, { retryable: response.statusCode >= 500 || response.statusCode === 429 });
    }
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType && !(options.accept ?? mediaTypes).test(contentType)) {
      await response.body.dump();
      throw new GatewayError('GENERATION_FAILED', `the file has content type ${contentType}, not media`);
    }
    return { body: response.body, contentType };
  }
  throw new GatewayError('PROVIDER_UNAVAILABLE', `more than ${maxRedirects} redirects`, { retryable: true });
}

/** The body's chunks, stopping with GENERATION_FAILED once they pass `maxBytes`. */
async function* withinSize(body: Body, maxBytes: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new GatewayError('GENERATION_FAILED', `the file is larger than ${maxBytes} bytes`);
    }
    yield chunk;
  }
}

/**
 * Fetches a file into memory (input media, which are small), following redirects, refusing anything over
 * `maxBytes` or that is not media. Auth headers go to the first origin only, so a vendor's key never reaches the
 * storage it redirects to.
 */
export async function download(url: string, options: DownloadOptions): Promise<Downloaded> {
  const { body, contentType } = await openDownload(url, options);
  const chunks: Buffer[] = [];
  for await (const chunk of withinSize(body, options.maxBytes)) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), contentType };
}

/** Outputs up to this size (an image, a short clip) are kept in memory; 50 downloads at once hold 50 MB at most. */
export const outputInMemoryBytes = 1024 * 1024;

/**
 * Fetches an upstream output, which can be hundreds of megabytes, never holding more than `keepInMemoryBytes` of it:
 * a file that fits is answered as bytes (probed and stored without a round trip through the disk); a larger one is
 * streamed to `spillPath` as it arrives and answered as that file. A failed download leaves no file behind; a disk that
 * refuses the file fails it with STORAGE_UNAVAILABLE.
 */
export async function downloadOutput(url: string, options: DownloadOptions, spillPath: string, keepInMemoryBytes = outputInMemoryBytes): Promise<{ bytes: Uint8Array } | { file: string }> {
  const { body } = await openDownload(url, options);
  const chunks = withinSize(body, options.maxBytes);
  const head: Buffer[] = [];
  let size = 0;
  for (let next = await chunks.next(); ; next = await chunks.next()) {
    if (next.done) return { bytes: Buffer.concat(head) };
    head.push(next.value);
    size += next.value.length;
    if (size > keepInMemoryBytes) break;
  }
  async function* whole() {
    yield* head;
    yield* chunks;
  }
  try {
    await pipeline(whole, createWriteStream(spillPath));
  } catch (error) {
    await discard(spillPath);
    throw asStorageError(error);
  }
  return { file: spillPath };
}

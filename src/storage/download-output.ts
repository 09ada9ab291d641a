import { type Dispatcher, request } from 'undici';
import { GatewayError } from '../errors/gateway-error.ts';

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

/**
 * Fetches a file into memory, following redirects, refusing anything over `maxBytes` or that is not media.
 * Auth headers go to the first origin only, so a vendor's key never reaches the storage it redirects to.
 */
export async function download(url: string, options: DownloadOptions): Promise<Downloaded> {
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
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > options.maxBytes) {
        response.body.destroy();
        throw new GatewayError('GENERATION_FAILED', `the file is larger than ${options.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return { bytes: Buffer.concat(chunks), contentType };
  }
  throw new GatewayError('PROVIDER_UNAVAILABLE', `more than ${maxRedirects} redirects`, { retryable: true });
}

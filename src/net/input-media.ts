import { GatewayError } from '../errors/gateway-error.ts';
import { download } from '../storage/download-output.ts';
import { parseDataUri } from './data-uri.ts';
import type { OutboundUrlPolicy } from './outbound-url-policy.ts';

export interface InputMedia {
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * Reads an input the client gave (a data URI, or a URL fetched through the outbound policy, without following
 * redirects) for upstreams that want the bytes themselves rather than a link (Gemini's inline images).
 */
export function createInputMediaReader(urls: Pick<OutboundUrlPolicy, 'check' | 'dispatcherFor'>, maxBytes: number) {
  return async function readInputMedia(reference: string, field = 'input'): Promise<InputMedia> {
    const inline = parseDataUri(reference);
    if (inline) return { bytes: Buffer.from(inline.base64, 'base64'), mimeType: inline.mimeType };
    const url = urls.check(reference, field);
    try {
      const fetched = await download(url.toString(), { maxBytes, dispatcher: urls.dispatcherFor(url), followRedirects: false, timeoutMs: 30_000 });
      return { bytes: fetched.bytes, mimeType: fetched.contentType.split(';')[0]!.trim() || 'application/octet-stream' };
    } catch (error) {
      if (error instanceof GatewayError && error.code !== 'PROVIDER_UNAVAILABLE') throw new GatewayError('INVALID_INPUT', `${field}: ${error.message}`, { details: { field } });
      throw new GatewayError('INVALID_INPUT', `${field}: could not be read (${(error as Error).message})`, { details: { field } });
    }
  };
}

import { request } from 'undici';
import { GatewayError } from '../errors/gateway-error.ts';

/** Streams an upstream output into memory, refusing anything over `maxBytes` or that is not media. */
export async function downloadOutput(url: string, maxBytes: number, timeoutMs = 120_000): Promise<Uint8Array> {
  const response = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new GatewayError('PROVIDER_UNAVAILABLE', `output download answered ${response.statusCode}`, { retryable: response.statusCode >= 500 || response.statusCode === 429 });
  }
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType && !/^(image|video|audio)\/|^application\/octet-stream/.test(contentType)) {
    await response.body.dump();
    throw new GatewayError('GENERATION_FAILED', `upstream output has content type ${contentType}, not media`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > maxBytes) {
      response.body.destroy();
      throw new GatewayError('GENERATION_FAILED', `upstream output is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

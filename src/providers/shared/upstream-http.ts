import { type Dispatcher, request } from 'undici';
import { GatewayError } from '../../errors/gateway-error.ts';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/** Upstream calls that take longer than this are abandoned and retried. */
const defaultTimeoutMs = 30_000;

/**
 * The one way adapters call their upstream: JSON in and out over undici, with a total timeout.
 * Network failures and timeouts become retryable PROVIDER_UNAVAILABLE; status codes are the adapter's to judge.
 */
export async function callUpstream(call: UpstreamRequest): Promise<UpstreamResponse> {
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.body === undefined ? call.headers : { 'content-type': 'application/json', ...call.headers },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs ?? defaultTimeoutMs),
      dispatcher: call.dispatcher,
    });
    const text = await response.body.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (an HTML error page from a proxy, say); the raw text is kept for the message.
    }
    return { status: response.statusCode, headers: response.headers, body };
  } catch (error) {
    throw new GatewayError('PROVIDER_UNAVAILABLE', `upstream request failed: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}`, { retryable: true, cause: error });
  }
}

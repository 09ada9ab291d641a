import { type Dispatcher, request } from 'undici';
import { GatewayError } from '../../errors/gateway-error.ts';
import { sanitizeUpstreamText } from './upstream-text.ts';

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

/** An upstream that takes longer than this to answer, or pauses longer within its answer, is abandoned and retried. */
const defaultTimeoutMs = 30_000;

/** undici's own timeouts, which cost nothing once the call is over (an AbortSignal's timer would live on for its whole length). */
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * The one way adapters call their upstream: JSON in and out over undici, with a timeout.
 * Network failures and timeouts become retryable PROVIDER_UNAVAILABLE; status codes are the adapter's to judge.
 */
export async function callUpstream(call: UpstreamRequest): Promise<UpstreamResponse> {
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.body === undefined ? call.headers : { 'content-type': 'application/json', ...call.headers },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      headersTimeout: call.timeoutMs ?? defaultTimeoutMs,
      bodyTimeout: call.timeoutMs ?? defaultTimeoutMs,
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
    throw unreachableUpstream(error);
  }
}

/**
 * A call that got no answer (refused, reset, timed out): retryable PROVIDER_UNAVAILABLE, said by the error's code.
 * Neither undici's message nor the error itself is kept: both name the address that was dialled.
 */
export function unreachableUpstream(error: unknown, what = 'upstream request failed'): GatewayError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? (timeoutCodes.has(code) ? 'timed out' : code) : sanitizeUpstreamText(error instanceof Error ? error.message : String(error));
  return new GatewayError('PROVIDER_UNAVAILABLE', `${what}: ${reason}`, { retryable: true });
}

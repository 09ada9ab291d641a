import { GatewayError } from '../../errors/gateway-error.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import type { UpstreamResponse } from './upstream-http.ts';

/** The upstream's own words for an error, from the usual JSON shapes or the start of a text body. */
export function upstreamMessage(response: UpstreamResponse): string {
  const body = response.body as { error?: unknown; message?: unknown; detail?: unknown } | string | null;
  if (body && typeof body === 'object') {
    const said = body.error ?? body.message ?? body.detail;
    return typeof said === 'string' ? said : JSON.stringify(said ?? body);
  }
  return String(body ?? '').slice(0, 200) || `HTTP ${response.status}`;
}

/**
 * One policy for HTTP-level answers, shared by every connector: 400/422 are the request's fault
 * (INVALID_INPUT, not retried), 401/403 mean the gateway's key was refused (named without the key),
 * 429 and 5xx are retried with backoff, honouring Retry-After.
 */
export function upstreamError(providerName: string, response: UpstreamResponse, message = upstreamMessage(response)): GatewayError {
  const said = `${providerName} answered ${response.status}: ${message}`;
  if (response.status === 400 || response.status === 422) return new GatewayError('INVALID_INPUT', said);
  if (response.status === 401 || response.status === 403) return new GatewayError('PROVIDER_UNAVAILABLE', `${providerName} refused this gateway's credentials (${response.status})`);
  if (response.status === 429 || response.status >= 500) {
    return new GatewayError('PROVIDER_UNAVAILABLE', said, { retryable: true, retryAfterMs: parseRetryAfterMs(response.headers['retry-after']) });
  }
  return new GatewayError('PROVIDER_UNAVAILABLE', said);
}

/** Joins a configured origin (which may carry a path prefix, as resellers' do) and a documented path. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

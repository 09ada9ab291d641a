import { GatewayError } from '../../errors/gateway-error.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import type { UpstreamResponse } from './upstream-http.ts';
import { sanitizeUpstreamText } from './upstream-text.ts';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A vendor's code is a short token (INVALID_ARGUMENT, invalid_request_error, 1201), never free text. */
const codeShape = /^[A-Za-z][\w.:-]{0,63}$/;

/** The vendor's own code for an error: `code`, `type` or a textual `status`, at the top of the body or under `error`/`detail`. */
export function upstreamCode(body: unknown): string | undefined {
  const holders = [body, isRecord(body) ? body.error : undefined, isRecord(body) ? body.detail : undefined].filter(isRecord);
  for (const holder of holders) {
    const named = ['code', 'type', 'status', 'error_code'].map((field) => holder[field]).find((value) => typeof value === 'string' && codeShape.test(value));
    if (named) return named as string;
  }
  const numbered = holders.find((holder) => Number.isInteger(holder.code))?.code;
  return numbered === undefined ? undefined : String(numbered);
}

const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : isRecord(value) && typeof value.message === 'string' ? value.message : undefined);

/** The upstream's own words for an error, from the usual JSON shapes or a text body, sanitized (see upstream-text.ts). */
export function upstreamMessage(response: UpstreamResponse): string {
  const { body } = response;
  const said = isRecord(body) ? (textOf(body.error) ?? textOf(body.message) ?? textOf(body.detail) ?? textOf(body.title) ?? JSON.stringify(body)) : String(body ?? '');
  return sanitizeUpstreamText(said) || `HTTP ${response.status}`;
}

/**
 * One policy for HTTP-level answers, shared by every connector: 400/422 are the request's fault
 * (INVALID_INPUT, not retried), 401/403 mean the gateway's key was refused (named without the key),
 * 429 and 5xx are retried with backoff, honouring Retry-After. The message is the vendor's code and a
 * sanitized summary of its words, whatever a caller passes as `message`.
 */
export function upstreamError(providerName: string, response: UpstreamResponse, message = upstreamMessage(response)): GatewayError {
  const summary = sanitizeUpstreamText(message);
  const code = sanitizeUpstreamText(upstreamCode(response.body) ?? '');
  const said = `${providerName} answered ${response.status}${code && !summary.includes(code) ? ` ${code}` : ''}: ${summary}`;
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

import { GatewayError } from '../../errors/gateway-error.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import { upstreamError } from '../shared/upstream-errors.ts';
import type { UpstreamResponse } from '../shared/upstream-http.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';
import type { PollResult } from '../spec.ts';

/** Google's error JSON: `{ error: { code, message, status, details[] } }` (google.rpc.Status). */
interface GoogleStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }>;
}

const errorOf = (body: unknown): GoogleStatus | undefined => (body as { error?: GoogleStatus } | null)?.error;

/** google.rpc.RetryInfo's delay ("30s", "1.5s"), in ms. */
function retryInfoMs(status: GoogleStatus | undefined): number | undefined {
  const delay = status?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const seconds = delay ? Number.parseFloat(delay) : Number.NaN;
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
}

/** An HTTP error from the Gemini API: a refused key is ours to fix, and a 429 waits as long as Google's RetryInfo says. */
export function geminiError(response: UpstreamResponse): GatewayError {
  const status = errorOf(response.body);
  if (status?.details?.some((detail) => detail.reason === 'API_KEY_INVALID')) return new GatewayError('PROVIDER_UNAVAILABLE', "the Gemini API refused this gateway's API key");
  const error = upstreamError('Gemini API', response, `${status?.status ?? ''} ${status?.message ?? ''}`.trim() || undefined);
  if (!error.retryable) return error;
  return new GatewayError(error.code, error.message, { retryable: true, retryAfterMs: parseRetryAfterMs(response.headers['retry-after']) ?? retryInfoMs(status) });
}

/** google.rpc.Code values of a finished operation's error: 3 is the request's fault; the rest may pass on a new attempt. */
const invalidArgument = 3;

export function veoOperationFailure(error: GoogleStatus): Extract<PollResult, { status: 'failed' }> {
  const message = `${error.status ?? 'error'}: ${sanitizeUpstreamText(error.message ?? '') || 'the operation failed'}`;
  if (error.code === invalidArgument) return { status: 'failed', code: 'INVALID_INPUT', message, retryable: false };
  return { status: 'failed', code: 'GENERATION_FAILED', message, retryable: true };
}

/** A finished operation with no video and a filter reason: Google's safety filters removed the output. */
export function veoFiltered(reasons: string[] | undefined): Extract<PollResult, { status: 'failed' }> {
  return { status: 'failed', code: 'CONTENT_MODERATION', message: sanitizeUpstreamText(reasons?.join('; ') ?? '') || 'the video was removed by safety filters', retryable: false };
}

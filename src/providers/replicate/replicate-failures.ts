import { GatewayError } from '../../errors/gateway-error.ts';
import { upstreamError } from '../shared/upstream-errors.ts';
import type { UpstreamResponse } from '../shared/upstream-http.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';
import type { PollResult } from '../spec.ts';

/** An HTTP error from Replicate (`{ detail, status, title }`): 402 means the account has no credit, which no retry mends. */
export function replicateError(response: UpstreamResponse): GatewayError {
  if (response.status === 402) return new GatewayError('PROVIDER_UNAVAILABLE', "Replicate's account has no credit left (402)");
  return upstreamError('Replicate', response);
}

/** A failed prediction says why in `error` text; Replicate's safety checker is recognised by its wording (E005 "flagged as sensitive", "NSFW"). */
export function replicateFailure(error: string | undefined): Extract<PollResult, { status: 'failed' }> {
  const message = sanitizeUpstreamText(error ?? '') || 'the prediction failed';
  if (/sensitive|nsfw|safety|flagged/i.test(error ?? '')) return { status: 'failed', code: 'CONTENT_MODERATION', message, retryable: false };
  return { status: 'failed', code: 'GENERATION_FAILED', message, retryable: true };
}

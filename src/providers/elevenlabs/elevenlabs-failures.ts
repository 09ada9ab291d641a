import { type ErrorCode, GatewayError } from '../../errors/gateway-error.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import { upstreamError } from '../shared/upstream-errors.ts';
import type { UpstreamResponse } from '../shared/upstream-http.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';

/** ElevenLabs' `detail.status` values (its help centre and SDK error classes) and what they mean for the client. */
export const elevenLabsStatuses: Record<string, { code: ErrorCode; retryable: boolean; field?: string }> = {
  too_many_concurrent_requests: { code: 'PROVIDER_UNAVAILABLE', retryable: true },
  system_busy: { code: 'PROVIDER_UNAVAILABLE', retryable: true },
  invalid_api_key: { code: 'PROVIDER_UNAVAILABLE', retryable: false },
  quota_exceeded: { code: 'PROVIDER_UNAVAILABLE', retryable: false },
  voice_not_found: { code: 'INVALID_INPUT', retryable: false, field: 'input.voice' },
  max_character_limit_exceeded: { code: 'INVALID_INPUT', retryable: false, field: 'input.text' },
};

/** An error answer `{ detail: { status, message } }` by its status first, else by the HTTP status. */
export function elevenLabsError(response: UpstreamResponse): GatewayError {
  const detail = (response.body as { detail?: { status?: string; message?: string } } | null)?.detail;
  const rule = detail?.status ? elevenLabsStatuses[detail.status] : undefined;
  if (!rule) return upstreamError('ElevenLabs', response, detail?.message ?? (typeof detail === 'string' ? detail : undefined));
  const message =
    rule.code === 'PROVIDER_UNAVAILABLE' && !rule.retryable
      ? `ElevenLabs refused this gateway's account (${detail!.status})`
      : `ElevenLabs answered ${response.status} ${detail!.status}: ${sanitizeUpstreamText(detail!.message ?? '')}`;
  return new GatewayError(rule.code, message, {
    retryable: rule.retryable,
    retryAfterMs: rule.retryable ? parseRetryAfterMs(response.headers['retry-after']) : undefined,
    details: rule.field ? { field: rule.field } : {},
  });
}

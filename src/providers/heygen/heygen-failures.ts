import { sanitizeUpstreamText } from '../shared/upstream-text.ts';
import type { PollResult } from '../spec.ts';

/**
 * HeyGen's `failure_code` on a failed video (v3 reference: machine-readable, values not enumerated), judged by
 * family: content-policy refusals, inputs it could not use, and the rest, which may pass on a new attempt.
 */
const heygenFailureFamilies = [
  { pattern: /MODERAT|POLICY|NSFW|INAPPROPRIATE|CONTENT/i, code: 'CONTENT_MODERATION', retryable: false },
  { pattern: /INVALID|NOT_FOUND|UNSUPPORTED|NOT_ALLOWED|TOO_LONG/i, code: 'INVALID_INPUT', retryable: false },
] as const;

export function heygenFailure(failureCode: string | undefined, failureMessage: string | undefined): Extract<PollResult, { status: 'failed' }> {
  const family = heygenFailureFamilies.find((candidate) => candidate.pattern.test(failureCode ?? ''));
  const message = `${sanitizeUpstreamText(failureMessage ?? '') || 'the video failed'}${failureCode ? ` (${sanitizeUpstreamText(failureCode)})` : ''}`;
  return { status: 'failed', code: family?.code ?? 'GENERATION_FAILED', message, retryable: family?.retryable ?? true };
}

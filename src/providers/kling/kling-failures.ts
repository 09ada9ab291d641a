import { type ErrorCode, GatewayError } from '../../errors/gateway-error.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import { upstreamError } from '../shared/upstream-errors.ts';
import type { UpstreamResponse } from '../shared/upstream-http.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';
import type { PollResult } from '../spec.ts';

interface BusinessCodeRule {
  codes: readonly number[];
  code: ErrorCode;
  retryable: boolean;
  why: string;
  /** How long to wait before trying again when Kling sends no Retry-After. */
  waitMs?: number;
}

/** Kling's business codes (its error-code page): what each means for the client. Unknown codes fall back to the HTTP status. */
export const klingBusinessCodes: BusinessCodeRule[] = [
  { codes: [1000, 1001, 1002, 1003, 1004], code: 'PROVIDER_UNAVAILABLE', retryable: false, why: "Kling refused this gateway's credentials" },
  { codes: [1100, 1101, 1102], code: 'PROVIDER_UNAVAILABLE', retryable: false, why: "Kling's account has no usable balance or resource pack" },
  { codes: [1103], code: 'PROVIDER_UNAVAILABLE', retryable: false, why: 'this Kling account may not use that model' },
  { codes: [1200, 1201, 1203], code: 'INVALID_INPUT', retryable: false, why: 'Kling refused the request' },
  { codes: [1300, 1301], code: 'CONTENT_MODERATION', retryable: false, why: "Kling's content policy refused the request" },
  // 1303: more tasks running than the resource pack allows; a slot frees when one finishes, so wait and retry.
  { codes: [1302, 1303], code: 'PROVIDER_UNAVAILABLE', retryable: true, why: 'Kling is at its rate or concurrency limit', waitMs: 5_000 },
  { codes: [5000, 5001, 5002], code: 'PROVIDER_UNAVAILABLE', retryable: true, why: 'Kling had an internal error' },
];

/** An error answer (`{code, message, request_id}`), by business code first. */
export function klingError(response: UpstreamResponse): GatewayError {
  const body = response.body as { code?: number; message?: string } | null;
  const rule = klingBusinessCodes.find((candidate) => candidate.codes.includes(Number(body?.code)));
  if (!rule) return upstreamError('Kling', response);
  const message = `Kling answered ${response.status} code ${body?.code}: ${body?.message ? sanitizeUpstreamText(body.message) : rule.why}`;
  // At a limit, a slot frees only when a task (minutes long) ends: wait seconds, not the usual backoff's milliseconds.
  const retryAfterMs = rule.retryable ? (parseRetryAfterMs(response.headers['retry-after']) ?? rule.waitMs) : undefined;
  return new GatewayError(rule.code, rule.code === 'PROVIDER_UNAVAILABLE' && !rule.retryable ? `${rule.why} (code ${body?.code})` : message, { retryable: rule.retryable, retryAfterMs });
}

/** A failed task says why only in `task_status_msg`; content-safety refusals are told apart by Kling's wording. */
export function klingTaskFailure(message: string | undefined): Extract<PollResult, { status: 'failed' }> {
  const moderated = /risk|moderation|sensitive|safety|violat/i.test(message ?? '');
  return { status: 'failed', code: moderated ? 'CONTENT_MODERATION' : 'GENERATION_FAILED', message: sanitizeUpstreamText(message ?? '') || 'the task failed', retryable: !moderated };
}

import type { ErrorCode } from '../../errors/gateway-error.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';
import type { PollResult } from '../spec.ts';

interface FailureRule {
  /** Runway's `failureCode`, matched by prefix. */
  prefix: string;
  code: ErrorCode;
  retryable: boolean;
  /** The upstream lost the task: the gateway submits it again itself. */
  resubmit?: boolean;
}

/** Runway's task failure codes (docs: task failures) and what they mean for the client. The first match wins. */
export const runwayFailureRules: FailureRule[] = [
  { prefix: 'SAFETY.INPUT', code: 'CONTENT_MODERATION', retryable: false },
  { prefix: 'SAFETY.OUTPUT', code: 'GENERATION_FAILED', retryable: true },
  { prefix: 'INTERNAL.BAD_OUTPUT', code: 'GENERATION_FAILED', retryable: true },
  { prefix: 'ASSET.INVALID', code: 'INVALID_INPUT', retryable: false },
  { prefix: 'INPUT_PREPROCESSING', code: 'INVALID_INPUT', retryable: false },
  { prefix: 'INTERNAL', code: 'GENERATION_FAILED', retryable: true, resubmit: true },
];

export function runwayFailure(failure: string | undefined, failureCode: string | undefined): Extract<PollResult, { status: 'failed' }> {
  const rule = runwayFailureRules.find((candidate) => failureCode?.startsWith(candidate.prefix));
  const message = `${sanitizeUpstreamText(failure ?? '') || 'the task failed'}${failureCode ? ` (${sanitizeUpstreamText(failureCode)})` : ''}`;
  return { status: 'failed', code: rule?.code ?? 'GENERATION_FAILED', message, retryable: rule?.retryable ?? false, resubmit: rule?.resubmit ?? false };
}

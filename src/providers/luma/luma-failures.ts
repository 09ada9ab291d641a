import { sanitizeUpstreamText } from '../shared/upstream-text.ts';
import type { PollResult } from '../spec.ts';

/**
 * Luma reports a failed generation only as `failure_reason` text (docs: errors), so its table matches the
 * documented phrases: moderation of the prompt or the frames, and input frames it could not read.
 */
const lumaFailureRules = [
  { pattern: /moderation|blacklist|not allowed|safety/i, code: 'CONTENT_MODERATION', retryable: false },
  { pattern: /failed to read user input frames|invalid|unsupported/i, code: 'INVALID_INPUT', retryable: false },
] as const;

export function lumaFailure(reason: string | undefined): Extract<PollResult, { status: 'failed' }> {
  const rule = lumaFailureRules.find((candidate) => candidate.pattern.test(reason ?? ''));
  const message = sanitizeUpstreamText(reason ?? '') || 'the generation failed';
  return { status: 'failed', code: rule?.code ?? 'GENERATION_FAILED', message, retryable: rule?.retryable ?? true };
}

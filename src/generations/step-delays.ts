import type { PollingPolicy } from '../providers/spec.ts';

/**
 * Polls every `intervalMs` for the first ten polls, then doubles each ten intervals, up to `maxIntervalMs`.
 * With the task's expected length (`expectedMs`, from the provider's quote), each poll before it is due waits half the
 * remaining time instead, never less than `intervalMs` nor more than `maxIntervalMs`: a Runway video quoted at 70 seconds
 * that takes 60 is asked at about 30, 50, 60 and 65 seconds, not 13 times.
 */
export function nextPollDelay(policy: PollingPolicy, waitedMs: number, expectedMs = 0): number {
  const waited = Math.max(0, waitedMs);
  if (waited < expectedMs) return Math.min(policy.maxIntervalMs, Math.max(policy.intervalMs, Math.round((expectedMs - waited) / 2)));
  const doublings = Math.floor(waited / (policy.intervalMs * 10));
  return Math.min(policy.maxIntervalMs, policy.intervalMs * 2 ** Math.min(doublings, 16));
}

/** Exponential backoff with full jitter on the upper half, or the upstream's Retry-After when it gave one. */
export function retryDelay(attemptsMade: number, baseDelayMs: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs;
  const ceiling = baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

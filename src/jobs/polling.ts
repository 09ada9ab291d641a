import type { PollingPolicy } from '../providers/spec.ts';

/** Polls every `intervalMs` for the first ten polls, then doubles each ten intervals, up to `maxIntervalMs`. */
export function nextPollDelay(policy: PollingPolicy, waitedMs: number): number {
  const doublings = Math.floor(Math.max(0, waitedMs) / (policy.intervalMs * 10));
  return Math.min(policy.maxIntervalMs, policy.intervalMs * 2 ** Math.min(doublings, 16));
}

/** Exponential backoff with full jitter on the upper half, or the upstream's Retry-After when it gave one. */
export function retryDelay(attemptsMade: number, baseDelayMs: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs;
  const ceiling = baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What the X-RateLimit-* headers report: the per-minute window of `generate` calls. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the oldest call in the window leaves it (ms since epoch). */
  resetAt: number;
}

export const minuteWindowMs = 60_000;

/** Usage is kept this long (a day over Runway's 90-day organization usage history). */
export const usageRetentionDays = 91;

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(Math.max(0, state.remaining)),
    'x-ratelimit-reset': String(Math.ceil(state.resetAt / 1000)),
  };
}

/** UTC day of a timestamp, as used in daily counter and usage keys: 2024-01-01. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const nextUtcMidnight = (ms: number) => {
  const day = new Date(ms);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
};

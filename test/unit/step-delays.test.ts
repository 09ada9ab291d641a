import { describe, expect, it } from 'vitest';
import { nextPollDelay, retryDelay } from '../../src/generations/step-delays.ts';

const policy = { initialDelayMs: 0, intervalMs: 1000, maxIntervalMs: 8000 };

describe('nextPollDelay', () => {
  it('never waits longer than the ceiling however long the task has run', () => {
    expect(nextPollDelay(policy, 24 * 60 * 60_000)).toBe(8000);
  });

  it('treats a negative wait (a clock that stepped back) as none', () => {
    expect(nextPollDelay(policy, -5000)).toBe(1000);
  });

  it('before an expected end, waits half the time left, within the interval and the ceiling', () => {
    expect(nextPollDelay(policy, 0, 10_000)).toBe(5000);
    expect(nextPollDelay(policy, 0, 60_000)).toBe(8000);
    expect(nextPollDelay(policy, 9500, 10_000)).toBe(1000);
  });

  it('paces a slot recheck from half a second to five as the wait grows', () => {
    const slotRecheck = { initialDelayMs: 0, intervalMs: 500, maxIntervalMs: 5000 };
    expect(nextPollDelay(slotRecheck, 0)).toBe(500);
    expect(nextPollDelay(slotRecheck, 5000)).toBe(1000);
    expect(nextPollDelay(slotRecheck, 60_000)).toBe(5000);
  });
});

describe('retryDelay', () => {
  it('starts a fresh count (a new route) at the base delay again', () => {
    expect(retryDelay(1, 2000, undefined, () => 1)).toBe(2000);
  });

  it('takes a Retry-After of zero as asked: at once', () => {
    expect(retryDelay(4, 2000, 0)).toBe(0);
  });

  it('stays within the upper half of each step', () => {
    for (const random of [0, 0.3, 0.999]) {
      const delay = retryDelay(2, 1000, undefined, () => random);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});

import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import type { PlanLimits } from './plans.ts';
import type { RateLimitState } from './rate-limits.ts';
import { minuteWindowMs, usageRetentionDays, utcDay } from './rate-limits.ts';

export interface RateLimitStatus {
  perMinute: number;
  concurrent: number;
  perDay: number | null;
  remainingThisMinute: number;
  remainingToday: number | null;
  resetAt: Date;
  running: number;
  waiting: number;
}

/** Where an account stands against its limits right now: one pipelined round trip. */
async function readRateLimitStatus(redis: Redis, keys: RedisKeys, accountId: string, limits: PlanLimits, now: number): Promise<RateLimitStatus> {
  const since = `(${now - minuteWindowMs}`;
  const results = (await redis
    .pipeline()
    .zcount(keys.minuteWindow(accountId), since, '+inf')
    .zrangebyscore(keys.minuteWindow(accountId), since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    .get(keys.dayCounter(accountId, utcDay(now)))
    .zcount(keys.runningSlots(accountId), `(${now}`, '+inf')
    .zcard(keys.waitingForSlot(accountId))
    .exec())!.map(([, value]) => value);
  const [usedThisMinute, oldest, usedToday, running, waiting] = results as [number, string[], string | null, number, number];
  return {
    perMinute: limits.perMinute,
    concurrent: limits.concurrent,
    perDay: limits.perDay || null,
    remainingThisMinute: Math.max(0, limits.perMinute - usedThisMinute),
    remainingToday: limits.perDay ? Math.max(0, limits.perDay - Number(usedToday ?? 0)) : null,
    resetAt: new Date((oldest[1] ? Number(oldest[1]) : now) + minuteWindowMs),
    running,
    waiting,
  };
}

export interface UsageLine {
  type: string;
  provider: string;
  credits: number;
  generations: number;
}

export interface UsageDay {
  date: string;
  credits: number;
  generations: number;
  lines: UsageLine[];
}

/** Credits spent per day, by type and provider, newest day first; days with no spending are left out. */
async function readUsage(redis: Redis, keys: RedisKeys, accountId: string, days: number, now: number): Promise<UsageDay[]> {
  const dates = Array.from({ length: Math.min(days, usageRetentionDays) }, (_, index) => utcDay(now - index * 24 * 60 * 60 * 1000));
  const pipeline = redis.pipeline();
  for (const date of dates) pipeline.hgetall(keys.usage(accountId, date));
  const hashes = ((await pipeline.exec()) ?? []).map(([, value]) => value as Record<string, string>);
  return dates.flatMap((date, index) => {
    const lines = new Map<string, UsageLine>();
    for (const [field, value] of Object.entries(hashes[index] ?? {})) {
      const [measure, type, provider] = field.split('|') as [string, string, string];
      const line = lines.get(`${type}|${provider}`) ?? { type, provider, credits: 0, generations: 0 };
      if (measure === 'credits') line.credits += Number(value);
      else line.generations += Number(value);
      lines.set(`${type}|${provider}`, line);
    }
    if (lines.size === 0) return [];
    const all = [...lines.values()];
    return [{ date, credits: all.reduce((sum, line) => sum + line.credits, 0), generations: all.reduce((sum, line) => sum + line.generations, 0), lines: all }];
  });
}

/** Where accounts stand against their limits and what they used: the read side the API shows, over Redis. */
export class AccountStatus {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  rateLimit(accountId: string, limits: PlanLimits): Promise<RateLimitStatus> {
    return readRateLimitStatus(this.redis, this.keys, accountId, limits, this.now());
  }

  /** The per-minute window alone, for the X-RateLimit-* headers of a request that did not read it on its way. */
  async minuteWindow(accountId: string, limits: PlanLimits): Promise<RateLimitState> {
    const status = await this.rateLimit(accountId, limits);
    return { limit: status.perMinute, remaining: status.remainingThisMinute, resetAt: status.resetAt.getTime() };
  }

  usage(accountId: string, days: number): Promise<UsageDay[]> {
    return readUsage(this.redis, this.keys, accountId, days, this.now());
  }
}

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
  const replies = (await redis
    .pipeline()
    .zcount(keys.minuteWindow(accountId), since, '+inf')
    .zrangebyscore(keys.minuteWindow(accountId), since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    .get(keys.dayCounter(accountId, utcDay(now)))
    .zcount(keys.runningSlots(accountId), `(${now}`, '+inf')
    .zcard(keys.waitingForSlot(accountId))
    .exec())!;
  // A command that failed (timed out, say) has no value: its error is the answer, not a TypeError on the missing value.
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0];
  const results = replies.map(([, value]) => value);
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

const dayMs = 24 * 60 * 60 * 1000;

/** Runway's usage shape: a UTC day and the credits each model used on it. */
export interface ModelUsageDay {
  date: string;
  usedCredits: { model: string; amount: number }[];
}

export interface UsageDay {
  date: string;
  credits: number;
  generations: number;
  lines: UsageLine[];
}

/** The day's usage hashes from `from` to `before` (at most the days kept), oldest first, with their UTC dates. */
async function readUsageHashes(redis: Redis, keys: RedisKeys, accountId: string, dates: string[]): Promise<Array<[string, Record<string, string>]>> {
  const pipeline = redis.pipeline();
  for (const date of dates) pipeline.hgetall(keys.usage(accountId, date));
  const hashes = ((await pipeline.exec()) ?? []).map(([, value]) => value as Record<string, string>);
  return dates.map((date, index) => [date, hashes[index] ?? {}]);
}

/** Credits spent per day, by type and provider, newest day first; days with no spending are left out. */
async function readUsage(redis: Redis, keys: RedisKeys, accountId: string, days: number, now: number): Promise<UsageDay[]> {
  const dates = Array.from({ length: Math.min(days, usageRetentionDays) }, (_, index) => utcDay(now - index * dayMs));
  return (await readUsageHashes(redis, keys, accountId, dates)).flatMap(([date, hash]) => {
    const lines = new Map<string, UsageLine>();
    for (const [field, value] of Object.entries(hash)) {
      const [measure, type, provider] = field.split('|') as [string, string, string];
      if (measure === 'model') continue;
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

  /**
   * Credits kept per UTC day and model in [from, before), oldest day first, from the same daily usage the account's
   * own usage reads (generations settle into it by model; realtime sessions as gwm1_avatars); idle days are left out.
   */
  async usageByModel(accountId: string, from: number, before: number): Promise<ModelUsageDay[]> {
    const kept = Math.max(from, this.now() - (usageRetentionDays - 1) * dayMs);
    const dates: string[] = [];
    for (let day = Math.floor(kept / dayMs) * dayMs; day < before; day += dayMs) dates.push(utcDay(day));
    return (await readUsageHashes(this.redis, this.keys, accountId, dates)).flatMap(([date, hash]) => {
      const usedCredits = Object.entries(hash)
        .filter(([field]) => field.startsWith('model|'))
        .map(([field, amount]) => ({ model: field.slice('model|'.length), amount: Number(amount) }));
      return usedCredits.length > 0 ? [{ date, usedCredits }] : [];
    });
  }

  /** Adds credits kept for something that is not a generation (a realtime session) to the day's usage by model. */
  async addModelUsage(accountId: string, model: string, credits: number): Promise<void> {
    const key = this.keys.usage(accountId, utcDay(this.now()));
    await this.redis
      .multi()
      .hincrby(key, `model|${model}`, credits)
      .expire(key, (usageRetentionDays * dayMs) / 1000)
      .exec();
  }
}

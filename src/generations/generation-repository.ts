import type { Redis } from 'ioredis';
import { appendLedgerLua } from '../billing/ledger.ts';
import type { PlanLimits } from '../billing/plans.ts';
import { minuteWindowMs, nextUtcMidnight, usageRetentionDays, utcDay, type RateLimitState } from '../billing/rate-limits.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { decodeGeneration, encodeFields } from './generation-codec.ts';
import type { Generation, GenerationStatus, GenerationType } from './generation.ts';

/**
 * Creates a generation in one atomic step: checks the per-minute and per-day limits and the credit
 * balance, then records the call, debits the credits and stores the record. Nothing is counted or
 * charged unless all of it succeeds, and concurrent requests can never overspend.
 * KEYS: account, generation, account's generation index, ledger, minute window, day counter.
 * ARGV: id, now, credits to reserve, per-minute limit, per-day limit (0: none), day counter TTL (s), ...fields.
 * Returns {outcome, balance, used this minute, oldest call in the window}.
 */
const createScript = `${appendLedgerLua}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_ACCOUNT', 0, 0, 0} end
local now = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - ${minuteWindowMs})
local usedMinute = redis.call('ZCARD', KEYS[5])
local oldest = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')[2] or now
if usedMinute >= tonumber(ARGV[4]) then return {'RATE_LIMIT_MINUTE', 0, usedMinute, oldest} end
local perDay = tonumber(ARGV[5])
if perDay > 0 and tonumber(redis.call('GET', KEYS[6]) or '0') >= perDay then return {'RATE_LIMIT_DAY', 0, usedMinute, oldest} end
local reserve = tonumber(ARGV[3])
local balance = tonumber(redis.call('HGET', KEYS[1], 'credits') or '0')
if reserve > 0 then
  if balance < reserve then return {'INSUFFICIENT_CREDITS', balance, usedMinute, oldest} end
  balance = redis.call('HINCRBY', KEYS[1], 'credits', -reserve)
  appendLedger(KEYS[4], ARGV[2], 'reserve', -reserve, balance, ARGV[1])
end
redis.call('ZADD', KEYS[5], now, ARGV[1])
redis.call('PEXPIRE', KEYS[5], ${minuteWindowMs})
redis.call('INCR', KEYS[6])
redis.call('EXPIRE', KEYS[6], ARGV[6])
redis.call('HSET', KEYS[2], unpack(ARGV, 7))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return {'OK', balance, usedMinute + 1, oldest}
`;

/**
 * Compare-and-set of a generation's status, settling credits in the same step when it ends.
 * Settlement runs once per generation (guarded by the \`settled\` field) however often a job runs:
 * 'refund' returns everything reserved; 'charge' keeps min(final cost, reserved), returns the rest and
 * adds the kept credits to the day's usage; 'cancel' refunds unless the provider had the work already
 * (an operation is recorded), judged in the same step so a submit racing the cancel cannot slip between.
 * Ending a generation also frees its concurrency slot.
 * KEYS: generation, account, ledger, running slots, waiting list, usage of the day.
 * ARGV: allowed from-statuses (comma list), to-status, settlement, final cost, now, ...fields.
 */
const transitionScript = `${appendLedgerLua}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
local allowed = false
for from in string.gmatch(ARGV[1], '[^,]+') do
  if from == status then allowed = true end
end
if not allowed then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if #ARGV >= 6 then redis.call('HSET', KEYS[1], unpack(ARGV, 6)) end
local id = redis.call('HGET', KEYS[1], 'id')
if ARGV[2] ~= 'QUEUED' and ARGV[2] ~= 'PROCESSING' then
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
end
local settlement = ARGV[3]
if settlement == 'cancel' then
  local operation = redis.call('HGET', KEYS[1], 'operation')
  settlement = (not operation or operation == 'null') and 'refund' or 'charge'
end
if settlement ~= 'none' and redis.call('HSETNX', KEYS[1], 'settled', ARGV[5]) == 1 then
  local live = redis.call('HGET', KEYS[1], 'mode') == 'live'
  local reserved = tonumber(redis.call('HGET', KEYS[1], 'creditsReserved') or '0')
  local kept = 0
  if settlement == 'charge' then
    kept = math.min(tonumber(ARGV[4]), reserved)
    if live then
      redis.call('HSET', KEYS[1], 'creditCost', kept)
      local line = redis.call('HGET', KEYS[1], 'type') .. '|' .. redis.call('HGET', KEYS[1], 'provider')
      redis.call('HINCRBY', KEYS[6], 'credits|' .. line, kept)
      redis.call('HINCRBY', KEYS[6], 'count|' .. line, 1)
      redis.call('EXPIRE', KEYS[6], ${usageRetentionDays * 24 * 60 * 60})
    end
  end
  local returned = reserved - kept
  if returned > 0 and redis.call('EXISTS', KEYS[2]) == 1 then
    local balance = redis.call('HINCRBY', KEYS[2], 'credits', returned)
    appendLedger(KEYS[3], ARGV[5], settlement == 'charge' and 'settle' or 'refund', returned, balance, id)
  end
end
return 1
`;

export type Settlement = 'none' | 'refund' | 'charge' | 'cancel';

export interface TransitionRequest {
  from: GenerationStatus[];
  to: GenerationStatus;
  fields?: Partial<Generation>;
  settlement?: Settlement;
  finalCost?: number;
}

export type CreateResult =
  | { ok: true; balance: number; rateLimit: RateLimitState }
  | { ok: false; reason: 'NO_ACCOUNT' | 'INSUFFICIENT_CREDITS'; balance: number }
  | { ok: false; reason: 'RATE_LIMIT'; window: 'minute' | 'day'; rateLimit: RateLimitState };

export interface ListFilter {
  status?: GenerationStatus;
  type?: GenerationType;
}

interface ScriptedRedis extends Redis {
  genwayCreateGeneration(...args: (string | number)[]): Promise<[string, number, number, number]>;
  genwayTransition(...args: (string | number)[]): Promise<number>;
}

export class GenerationRepository {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, private readonly keys: RedisKeys, private readonly now: () => number = Date.now) {
    this.redis = redis as ScriptedRedis;
    if (!('genwayCreateGeneration' in redis)) {
      redis.defineCommand('genwayCreateGeneration', { numberOfKeys: 6, lua: createScript });
      redis.defineCommand('genwayTransition', { numberOfKeys: 6, lua: transitionScript });
    }
  }

  async create(generation: Generation, limits: PlanLimits): Promise<CreateResult> {
    const { keys } = this;
    const now = generation.createdAt;
    const [outcome, balance, used, oldest] = await this.redis.genwayCreateGeneration(
      keys.account(generation.accountId),
      keys.generation(generation.id),
      keys.accountGenerations(generation.accountId),
      keys.ledger(generation.accountId),
      keys.minuteWindow(generation.accountId),
      keys.dayCounter(generation.accountId, utcDay(now)),
      generation.id,
      now,
      generation.creditsReserved,
      limits.perMinute,
      limits.perDay,
      2 * 24 * 60 * 60,
      ...encodeFields(generation),
    );
    const rateLimit = { limit: limits.perMinute, remaining: limits.perMinute - Number(used), resetAt: Number(oldest) + minuteWindowMs };
    if (outcome === 'OK') return { ok: true, balance: Number(balance), rateLimit };
    if (outcome === 'RATE_LIMIT_MINUTE') return { ok: false, reason: 'RATE_LIMIT', window: 'minute', rateLimit };
    if (outcome === 'RATE_LIMIT_DAY') return { ok: false, reason: 'RATE_LIMIT', window: 'day', rateLimit: { ...rateLimit, resetAt: nextUtcMidnight(now) } };
    return { ok: false, reason: outcome as 'NO_ACCOUNT' | 'INSUFFICIENT_CREDITS', balance: Number(balance) };
  }

  async get(generationId: string): Promise<Generation | null> {
    return decodeGeneration(await this.redis.hgetall(this.keys.generation(generationId)));
  }

  /** Returns true when this call made the transition; false when the status was not one of `from`. */
  async transition(generation: Pick<Generation, 'id' | 'accountId'>, request: TransitionRequest): Promise<boolean> {
    const { keys } = this;
    const now = this.now();
    const result = await this.redis.genwayTransition(
      keys.generation(generation.id),
      keys.account(generation.accountId),
      keys.ledger(generation.accountId),
      keys.runningSlots(generation.accountId),
      keys.waitingForSlot(generation.accountId),
      keys.usage(generation.accountId, utcDay(now)),
      request.from.join(','),
      request.to,
      request.settlement ?? 'none',
      request.finalCost ?? 0,
      now,
      ...encodeFields(request.fields ?? {}),
    );
    return result === 1;
  }

  /** Newest first. The cursor is the id of the last generation of the previous page. */
  async listForAccount(accountId: string, first: number, after: string | undefined, filter: ListFilter): Promise<{ items: Generation[]; hasNextPage: boolean }> {
    const index = this.keys.accountGenerations(accountId);
    let start = 0;
    if (after) {
      const rank = await this.redis.zrevrank(index, after);
      if (rank === null) return { items: [], hasNextPage: false };
      start = rank + 1;
    }
    const items: Generation[] = [];
    const batchSize = Math.max(first * 2, 50);
    while (items.length <= first) {
      const ids = await this.redis.zrevrange(index, start, start + batchSize - 1);
      if (ids.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(this.keys.generation(id));
      const hashes = (await pipeline.exec()) ?? [];
      for (const [, hash] of hashes) {
        const generation = decodeGeneration(hash as Record<string, string>);
        if (generation && matches(generation, filter)) items.push(generation);
      }
      start += ids.length;
    }
    return { items: items.slice(0, first), hasNextPage: items.length > first };
  }
}

function matches(generation: Generation, filter: ListFilter): boolean {
  return (!filter.status || generation.status === filter.status) && (!filter.type || generation.type === filter.type);
}

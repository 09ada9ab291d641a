import type { Redis } from 'ioredis';
import { ledgerLength } from '../billing/ledger.ts';
import type { PlanLimits } from '../billing/plans.ts';
import { minuteWindowMs, nextUtcMidnight, type RateLimitState, usageRetentionDays, utcDay } from '../billing/rate-limits.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { registerScripts } from '../redis/redis-scripts.ts';
import type { Generation, GenerationStatus, GenerationType } from './generation.ts';
import { decodeGeneration, encodeFields } from './generation-codec.ts';
import { generationEventMessage } from './generation-event.ts';

/** 'topUp': reserve `finalCost` credits more (a fallback to a dearer route), or refuse the transition. */
export type Settlement = 'none' | 'refund' | 'charge' | 'cancel' | 'topUp';

/** Whether a transition needs the generation to have an upstream operation recorded ('some'), none ('none'), or either. */
export type OperationGuard = 'any' | 'none' | 'some';

/** One compare-and-set; the lifecycle module names each one (see generation-lifecycle.ts). */
/** The generation a transition is for: its keys, and as much of the record as the caller has (for the event). */
export type TransitionTarget = Pick<Generation, 'id' | 'accountId' | 'route'> & Partial<Generation>;

export interface TransitionRequest {
  from: readonly GenerationStatus[];
  /** The new status; omitted, the generation keeps the one it has. */
  to?: GenerationStatus;
  operation?: OperationGuard;
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

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = redis as ScriptedRedis;
    const constants = { LEDGER_LENGTH: ledgerLength, MINUTE_WINDOW_MS: minuteWindowMs, USAGE_RETENTION_SECONDS: usageRetentionDays * 24 * 60 * 60 };
    registerScripts(redis, [
      { name: 'genwayCreateGeneration', file: new URL('./create-generation.lua', import.meta.url), numberOfKeys: 6, constants },
      { name: 'genwayTransition', file: new URL('./transition-generation.lua', import.meta.url), numberOfKeys: 8, constants },
    ]);
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
      keys.generationEvents(generation.accountId),
      generationEventMessage(generation),
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

  /** Returns true when this call made the transition; false when the status was not one of `from`, the operation guard failed, or a top-up found too few credits. */
  async transition(generation: TransitionTarget, request: TransitionRequest): Promise<boolean> {
    return (await this.transitionOutcome(generation, request)) === 'made';
  }

  /**
   * Like `transition`, telling apart a refusal for lack of credits (a top-up) from one by status. A transition that is
   * made is announced on the account's event channel in the same script (the caller's copy, changed as asked).
   */
  async transitionOutcome(generation: TransitionTarget, request: TransitionRequest): Promise<'made' | 'refused' | 'insufficient-credits'> {
    const { keys } = this;
    const now = this.now();
    // Every transition is a change, so each one stamps the record (the status alone may have changed).
    const fields = { ...request.fields, updatedAt: now };
    const upstream = keys.upstreamSlots(generation.route);
    const result = await this.redis.genwayTransition(
      keys.generation(generation.id),
      keys.account(generation.accountId),
      keys.ledger(generation.accountId),
      keys.runningSlots(generation.accountId),
      keys.waitingForSlot(generation.accountId),
      keys.usage(generation.accountId, utcDay(now)),
      upstream.running,
      upstream.waiting,
      request.from.join(','),
      request.to ?? '',
      request.operation ?? 'any',
      request.settlement ?? 'none',
      request.finalCost ?? 0,
      now,
      keys.generationEvents(generation.accountId),
      generationEventMessage({ ...generation, ...fields, ...(request.to ? { status: request.to } : {}) }),
      ...encodeFields(fields),
    );
    return result === 1 ? 'made' : result === 2 ? 'insufficient-credits' : 'refused';
  }

  /**
   * Counts a step that failed temporarily on the generation's current route and answers how many have (the route's
   * retry budget). Not a transition: it changes no status and announces nothing; the fallback transition resets it.
   */
  async countRouteFailure(generationId: string): Promise<number> {
    return this.redis.hincrby(this.keys.generation(generationId), 'routeFailures', 1);
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

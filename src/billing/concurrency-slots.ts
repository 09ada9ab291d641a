import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { registerScripts } from '../redis/redis-scripts.ts';

/**
 * A slot is a lease, refreshed at every poll: if whatever runs a generation vanishes for good,
 * its slot comes back after this long instead of leaking.
 */
export const slotLeaseMs = 10 * 60_000;

/** What a slot is held for: a generation of an account with that account's concurrency limit. */
export interface SlotClaimant {
  id: string;
  accountId: string;
  concurrencyLimit: number;
  createdAt: number;
}

interface ScriptedRedis extends Redis {
  genwayAcquireSlot(running: string, waiting: string, generation: string, id: string, limit: number, now: number, lease: number, createdAt: number, leaseField: string): Promise<number>;
}

/** Per-account limit on generations running upstream at once; slots are freed by the transition that ends a generation. */
export class ConcurrencySlots {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = redis as ScriptedRedis;
    registerScripts(redis, [{ name: 'genwayAcquireSlot', file: new URL('./acquire-slot.lua', import.meta.url), numberOfKeys: 3 }]);
  }

  async acquire(generation: SlotClaimant): Promise<boolean> {
    const acquired = await this.redis.genwayAcquireSlot(
      this.keys.runningSlots(generation.accountId),
      this.keys.waitingForSlot(generation.accountId),
      this.keys.generation(generation.id),
      generation.id,
      generation.concurrencyLimit,
      this.now(),
      slotLeaseMs,
      generation.createdAt,
      'slotLeaseUntil',
    );
    return acquired === 1;
  }

  /**
   * Takes one of an upstream route's slots (a vendor's limit on tasks at once, shared by every worker), first come
   * first served like the account's; released by the transition that ends the generation or moves it elsewhere.
   */
  async acquireUpstream(route: string, limit: number, generation: SlotClaimant): Promise<boolean> {
    const keys = this.keys.upstreamSlots(route);
    const acquired = await this.redis.genwayAcquireSlot(
      keys.running,
      keys.waiting,
      this.keys.generation(generation.id),
      generation.id,
      limit,
      this.now(),
      slotLeaseMs,
      generation.createdAt,
      'routeLeaseUntil',
    );
    return acquired === 1;
  }

  /** Whether a generation is in line for its account's slot or its upstream's (Runway calls this THROTTLED). */
  async isWaiting(generation: { id: string; accountId: string; route: string }): Promise<boolean> {
    const [account, upstream] = await Promise.all([
      this.redis.zscore(this.keys.waitingForSlot(generation.accountId), generation.id),
      this.redis.zscore(this.keys.upstreamSlots(generation.route).waiting, generation.id),
    ]);
    return account !== null || upstream !== null;
  }

  /** The generations first in line for an upstream route's slot. */
  upstreamWaitingHead(route: string, count: number): Promise<string[]> {
    return this.redis.zrange(this.keys.upstreamSlots(route).waiting, 0, Math.max(0, count - 1));
  }

  /** How many generations hold one of an upstream route's slots now. */
  upstreamRunning(route: string): Promise<number> {
    return this.redis.zcount(this.keys.upstreamSlots(route).running, `(${this.now()}`, '+inf');
  }

  /** True when the generation holds a slot whose lease has more than half of its time left. */
  static leaseIsFresh(generation: { slotLeaseUntil: number | null }, now: number): boolean {
    return generation.slotLeaseUntil !== null && generation.slotLeaseUntil - now > slotLeaseMs / 2;
  }

  /** The generations first in line for a slot. */
  waitingHead(accountId: string, count: number): Promise<string[]> {
    return this.redis.zrange(this.keys.waitingForSlot(accountId), 0, Math.max(0, count - 1));
  }

  async runningCount(accountId: string): Promise<number> {
    return this.redis.zcount(this.keys.runningSlots(accountId), `(${this.now()}`, '+inf');
  }
}

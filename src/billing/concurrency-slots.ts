import type { Redis } from 'ioredis';
import type { Generation } from '../generations/generation.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';

/**
 * A slot is a lease, refreshed at every poll: if whatever runs a generation vanishes for good,
 * its slot comes back after this long instead of leaking.
 */
export const slotLeaseMs = 10 * 60_000;

/**
 * Takes a running slot for a generation, first come first served: when the account is at its limit,
 * the generation joins the waiting list (by creation time) and only the oldest waiters get freed slots.
 * A generation that already holds a slot just renews its lease. The lease's end is also written on the
 * generation (\`slotLeaseUntil\`), so the worker, which reads the generation anyway, renews only when it is due.
 * KEYS: running slots (id → lease expiry), waiting (id → createdAt), generation. ARGV: id, limit, now, lease, createdAt.
 */
const acquireScript = `
local id, limit, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local leaseUntil = now + tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], id) then
  redis.call('ZADD', KEYS[2], 'NX', ARGV[5], id)
  local free = limit - redis.call('ZCARD', KEYS[1])
  if free <= 0 or redis.call('ZRANK', KEYS[2], id) >= free then return 0 end
  redis.call('ZREM', KEYS[2], id)
end
redis.call('ZADD', KEYS[1], leaseUntil, id)
redis.call('HSET', KEYS[3], 'slotLeaseUntil', leaseUntil)
return 1
`;

interface ScriptedRedis extends Redis {
  genwayAcquireSlot(running: string, waiting: string, generation: string, id: string, limit: number, now: number, lease: number, createdAt: number): Promise<number>;
}

/** Per-account limit on generations running upstream at once; slots are freed by the transition that ends a generation. */
export class ConcurrencySlots {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, private readonly keys: RedisKeys, private readonly now: () => number = Date.now) {
    this.redis = redis as ScriptedRedis;
    if (!('genwayAcquireSlot' in redis)) redis.defineCommand('genwayAcquireSlot', { numberOfKeys: 3, lua: acquireScript });
  }

  async acquire(generation: Pick<Generation, 'id' | 'accountId' | 'concurrencyLimit' | 'createdAt'>): Promise<boolean> {
    const acquired = await this.redis.genwayAcquireSlot(
      this.keys.runningSlots(generation.accountId),
      this.keys.waitingForSlot(generation.accountId),
      this.keys.generation(generation.id),
      generation.id,
      generation.concurrencyLimit,
      this.now(),
      slotLeaseMs,
      generation.createdAt,
    );
    return acquired === 1;
  }

  /** True when the generation holds a slot whose lease has more than half of its time left. */
  static leaseIsFresh(generation: Pick<Generation, 'slotLeaseUntil'>, now: number): boolean {
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

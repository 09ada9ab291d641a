import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { registerScripts } from '../redis/redis-scripts.ts';

/** Time a delivery may spend around its HTTP attempt (signing, the first log write) on top of the attempt's timeout. */
const leaseMarginMs = 5_000;

export interface WebhookDestinationSlotSettings {
  /** Deliveries in flight to one receiver origin at once, across every worker. */
  limit: number;
  /** The longest one attempt may take (WEBHOOK_TIMEOUT_MS). */
  attemptTimeoutMs: number;
}

interface ScriptedRedis extends Redis {
  genwayAcquireDestinationSlot(running: string, waiting: string, id: string, limit: number, now: number, lease: number): Promise<number>;
  genwayReleaseDestinationSlot(running: string, waiting: string, id: string, limit: number, now: number): Promise<string[]>;
}

/**
 * Each webhook receiver origin's share of the delivery slots, held in Redis so it holds across workers. A slot is a
 * lease that outlasts one attempt, so a worker that dies mid-delivery frees its slot when the lease ends.
 */
export class WebhookDestinationSlots {
  private readonly redis: ScriptedRedis;
  /** How long a slot is held at most; a delivery in line that nobody wakes checks again after this long. */
  readonly leaseMs: number;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly settings: WebhookDestinationSlotSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = redis as ScriptedRedis;
    this.leaseMs = settings.attemptTimeoutMs + leaseMarginMs;
    registerScripts(redis, [
      { name: 'genwayAcquireDestinationSlot', file: new URL('./acquire-destination-slot.lua', import.meta.url), numberOfKeys: 2 },
      { name: 'genwayReleaseDestinationSlot', file: new URL('./release-destination-slot.lua', import.meta.url), numberOfKeys: 2 },
    ]);
  }

  /** Takes a slot of `origin` for the delivery job `jobId`, or puts it in line for the next slot freed. */
  async acquire(origin: string, jobId: string): Promise<{ acquired: true } | { acquired: false; waitedMs: number }> {
    const { running, waiting } = this.keys.webhookDestinationSlots(origin);
    const waitedMs = await this.redis.genwayAcquireDestinationSlot(running, waiting, jobId, this.settings.limit, this.now(), this.leaseMs);
    return waitedMs < 0 ? { acquired: true } : { acquired: false, waitedMs };
  }

  /** Gives the slot back; answers the jobs first in line, one per free slot, for the caller to wake. */
  release(origin: string, jobId: string): Promise<string[]> {
    const { running, waiting } = this.keys.webhookDestinationSlots(origin);
    return this.redis.genwayReleaseDestinationSlot(running, waiting, jobId, this.settings.limit, this.now());
  }

  /** Takes a job that no longer waits (it was removed or has finished) out of the line. */
  async forget(origin: string, jobId: string): Promise<void> {
    await this.redis.zrem(this.keys.webhookDestinationSlots(origin).waiting, jobId);
  }
}

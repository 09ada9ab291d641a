import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import type { WebhookEvent } from './webhook-payload.ts';

export type DeliveryOutcome = 'DELIVERED' | 'RETRYING' | 'FAILED' | 'DISABLED' | 'SKIPPED';

/** One attempt to deliver a webhook, as `webhookDeliveries` shows it. */
export interface DeliveryAttempt {
  id: string;
  event: WebhookEvent;
  attempt: number;
  url: string;
  at: number;
  status: number | null;
  latencyMs: number;
  outcome: DeliveryOutcome;
  error: string | null;
}

/** Attempts kept per generation. */
const keptAttempts = 100;

/** Every delivery attempt per generation, and the webhook URLs an account's receivers retired with 410 Gone. */
export class WebhookDeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async record(generationId: string, attempt: DeliveryAttempt): Promise<void> {
    const key = this.keys.webhookDeliveries(generationId);
    await this.redis.multi().rpush(key, JSON.stringify(attempt)).ltrim(key, -keptAttempts, -1).exec();
  }

  async list(generationId: string): Promise<DeliveryAttempt[]> {
    return (await this.redis.lrange(this.keys.webhookDeliveries(generationId), 0, -1)).map((row) => JSON.parse(row) as DeliveryAttempt);
  }

  async disable(accountId: string, url: string): Promise<void> {
    await this.redis.sadd(this.keys.disabledWebhookUrls(accountId), url);
  }

  async enable(accountId: string, url: string): Promise<void> {
    await this.redis.srem(this.keys.disabledWebhookUrls(accountId), url);
  }

  async isDisabled(accountId: string, url: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.disabledWebhookUrls(accountId), url)) === 1;
  }
}

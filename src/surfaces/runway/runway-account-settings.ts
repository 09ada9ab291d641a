import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../redis/redis-keys.ts';

/**
 * The account hash field that holds the choice. It is the field the generic account record once carried, kept so
 * that accounts set up before still send their tasks where they did; only this store reads or writes it.
 */
const providerField = 'runwayCompatibleProvider';

/** What an account chose for the Runway-compatible API; the rest of the gateway knows nothing of it. */
export class RunwayAccountSettings {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<RedisKeys, 'account'>,
  ) {}

  /** The provider this account's Runway-API tasks go to when no X-Genway-Provider header says, or null for the default. */
  async provider(accountId: string): Promise<string | null> {
    return (await this.redis.hget(this.keys.account(accountId), providerField)) || null;
  }

  /** False when there is no such account. */
  async setProvider(accountId: string, provider: string): Promise<boolean> {
    if (!(await this.redis.exists(this.keys.account(accountId)))) return false;
    await this.redis.hset(this.keys.account(accountId), providerField, provider);
    return true;
  }
}

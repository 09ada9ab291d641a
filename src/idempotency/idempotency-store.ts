import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { registerScripts } from '../redis/redis-scripts.ts';

/** A finished response is replayed for this long, as Stripe keeps its idempotency keys. */
export const idempotencyTtlMs = 24 * 60 * 60 * 1000;
/** A claim whose request never finished (its process died) frees the key after this long. */
export const pendingTtlMs = 60_000;

export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

export type ClaimResult = { kind: 'claimed' } | { kind: 'conflict' } | { kind: 'in_progress' } | ({ kind: 'replay' } & StoredResponse);

interface ScriptedRedis extends Redis {
  genwayClaimIdempotencyKey(record: string, fingerprint: string, pendingTtl: number): Promise<string[]>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Idempotency-Key records, scoped to the account, fingerprinted by the request they were first used with. */
export class IdempotencyStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.redis = redis as ScriptedRedis;
    registerScripts(redis, [{ name: 'genwayClaimIdempotencyKey', file: new URL('./claim-idempotency-key.lua', import.meta.url), numberOfKeys: 1 }]);
  }

  static fingerprint(parts: string[]): string {
    return sha256(parts.join('\n'));
  }

  private record(accountId: string, idempotencyKey: string) {
    return this.keys.idempotency(accountId, sha256(idempotencyKey));
  }

  async claim(accountId: string, idempotencyKey: string, fingerprint: string): Promise<ClaimResult> {
    const [kind, status, contentType, body] = await this.redis.genwayClaimIdempotencyKey(this.record(accountId, idempotencyKey), fingerprint, pendingTtlMs);
    if (kind === 'replay') return { kind, status: Number(status), contentType: contentType ?? 'application/json', body: body ?? '' };
    return { kind: kind as 'claimed' | 'conflict' | 'in_progress' };
  }

  async complete(accountId: string, idempotencyKey: string, response: StoredResponse): Promise<void> {
    const record = this.record(accountId, idempotencyKey);
    await this.redis.multi().hset(record, { state: 'done', status: response.status, contentType: response.contentType, body: response.body }).pexpire(record, idempotencyTtlMs).exec();
  }

  /** A request that failed stores nothing, so the client may retry it with the same key. */
  async release(accountId: string, idempotencyKey: string): Promise<void> {
    await this.redis.del(this.record(accountId, idempotencyKey));
  }
}

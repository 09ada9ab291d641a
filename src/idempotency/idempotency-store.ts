import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { createHash } from 'node:crypto';

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

/**
 * KEYS: record. ARGV: fingerprint, pending TTL.
 * Claims an unused key, or says why not: another request (conflict), still running, or finished (replay).
 */
const claimScript = `
local record = redis.call('HMGET', KEYS[1], 'fingerprint', 'state', 'status', 'contentType', 'body')
if not record[1] then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'state', 'pending')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'claimed'}
end
if record[1] ~= ARGV[1] then return {'conflict'} end
if record[2] == 'pending' then return {'in_progress'} end
return {'replay', record[3], record[4], record[5]}
`;

interface ScriptedRedis extends Redis {
  genwayClaimIdempotencyKey(record: string, fingerprint: string, pendingTtl: number): Promise<string[]>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Idempotency-Key records, scoped to the account, fingerprinted by the request they were first used with. */
export class IdempotencyStore {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, private readonly keys: RedisKeys) {
    this.redis = redis as ScriptedRedis;
    if (!('genwayClaimIdempotencyKey' in redis)) redis.defineCommand('genwayClaimIdempotencyKey', { numberOfKeys: 1, lua: claimScript });
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

import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';

export type LedgerKind = 'grant' | 'reserve' | 'settle' | 'refund';

export interface LedgerEntry {
  at: number;
  kind: LedgerKind;
  amount: number;
  balance: number;
  generationId?: string;
}

/** Ledger entries kept per account; older ones are trimmed (about 90 days at heavy use). */
export const ledgerLength = 100_000;

export async function readLedger(redis: Redis, keys: RedisKeys, accountId: string, limit = 100): Promise<LedgerEntry[]> {
  const rows = await redis.lrange(keys.ledger(accountId), 0, limit - 1);
  return rows.map((row) => JSON.parse(row) as LedgerEntry);
}

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

export interface DailyModelUsage {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  usedCredits: { model: string; amount: number }[];
}

const ledgerPage = 1000;

/**
 * Net credits spent per UTC day and model in [from, before): reservations less refunds, read newest first from the
 * ledger until entries are older than `from`. Each generation's model comes from its record.
 */
export async function creditUsageByDay(redis: Redis, keys: RedisKeys, accountId: string, from: number, before: number): Promise<DailyModelUsage[]> {
  const spent = new Map<string, Map<string, number>>();
  for (let start = 0; start < ledgerLength; start += ledgerPage) {
    const rows = await redis.lrange(keys.ledger(accountId), start, start + ledgerPage - 1);
    const entries = rows.map((row) => JSON.parse(row) as LedgerEntry);
    for (const entry of entries) {
      if (entry.at < from || entry.at >= before || !entry.generationId || entry.kind === 'grant') continue;
      const date = new Date(entry.at).toISOString().slice(0, 10);
      const byGeneration = spent.get(date) ?? new Map<string, number>();
      byGeneration.set(entry.generationId, (byGeneration.get(entry.generationId) ?? 0) - entry.amount);
      spent.set(date, byGeneration);
    }
    if (entries.length < ledgerPage || entries.at(-1)!.at < from) break;
  }
  // Charges for something other than a generation are named `<model>:<id>`; a generation's model is on its record.
  const generationIds = [...new Set([...spent.values()].flatMap((byGeneration) => [...byGeneration.keys()]))].filter((id) => !id.includes(':'));
  const models = generationIds.length ? await redis.pipeline(generationIds.map((id) => ['hget', keys.generation(id), 'model'])).exec() : [];
  const modelOf = new Map(generationIds.map((id, index) => [id, String(models?.[index]?.[1] ?? 'unknown')]));
  for (const byGeneration of spent.values()) for (const reference of byGeneration.keys()) if (reference.includes(':')) modelOf.set(reference, reference.split(':')[0]!);
  return [...spent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, byGeneration]) => {
      const byModel = new Map<string, number>();
      for (const [generationId, amount] of byGeneration) byModel.set(modelOf.get(generationId)!, (byModel.get(modelOf.get(generationId)!) ?? 0) + amount);
      return { date, usedCredits: [...byModel].map(([model, amount]) => ({ model, amount })) };
    });
}

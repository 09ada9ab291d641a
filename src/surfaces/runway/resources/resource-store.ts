import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../../redis/redis-keys.ts';

export type ResourceKind = 'avatars' | 'documents' | 'realtime_sessions';

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface Page<Item> {
  data: Item[];
  nextCursor: string | null;
}

/** The cursor is the offset of the next page, opaque to clients. */
const encodeCursor = (offset: number) => Buffer.from(String(offset)).toString('base64url');
const decodeCursor = (cursor: string | undefined) => (cursor ? Math.max(0, Number.parseInt(Buffer.from(cursor, 'base64url').toString(), 10) || 0) : 0);

/** Slices a sorted list the way Runway's cursor pages do: `limit` items, and a cursor while more remain. */
export function pageOf<Item>(items: Item[], { limit = 50, cursor }: PageRequest): Page<Item> {
  const offset = decodeCursor(cursor);
  const data = items.slice(offset, offset + limit);
  return { data, nextCursor: offset + limit < items.length ? encodeCursor(offset + limit) : null };
}

/**
 * One account's avatars, documents or realtime sessions, as JSON records in a hash per kind: an account sees only
 * its own, and another account's id is simply absent.
 */
export class ResourceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** Test keys' sandbox records and live keys' ownership records are kept apart. */
    private readonly mode: 'live' | 'test',
  ) {}

  private hashOf(accountId: string, kind: ResourceKind): string {
    return this.keys.runwayResources(accountId, `${this.mode}:${kind}`).bodies;
  }

  async get<Record>(accountId: string, kind: ResourceKind, id: string): Promise<Record | null> {
    const body = await this.redis.hget(this.hashOf(accountId, kind), id);
    return body === null ? null : (JSON.parse(body) as Record);
  }

  async put(accountId: string, kind: ResourceKind, id: string, record: unknown): Promise<void> {
    await this.redis.hset(this.hashOf(accountId, kind), id, JSON.stringify(record));
  }

  async remove(accountId: string, kind: ResourceKind, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.hashOf(accountId, kind), id)) === 1;
  }

  async all<Record>(accountId: string, kind: ResourceKind): Promise<Record[]> {
    const bodies = await this.redis.hvals(this.hashOf(accountId, kind));
    return bodies.map((body) => JSON.parse(body) as Record);
  }
}

import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/** One place that turns an address (URL or socket path) into a client; BullMQ needs `maxRetriesPerRequest: null`. */
export function createRedis(address: string, options: RedisOptions = {}): Redis {
  return new Redis(address, { maxRetriesPerRequest: null, ...options });
}

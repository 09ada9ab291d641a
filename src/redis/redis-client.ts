import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * Clients that serve requests never queue a command while disconnected and never resend one after a reconnect:
 * a request answered 503 during an outage must have no effect once Redis is back. A command Redis does not answer
 * within `commandTimeoutMs` (a Redis that hangs rather than closes) fails too.
 */
export const failFastOptions = (commandTimeoutMs: number): RedisOptions => ({ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: commandTimeoutMs });

/** One place that turns an address (URL or socket path) into a client; BullMQ's workers need `maxRetriesPerRequest: null` (wait for Redis). */
export function createRedis(address: string, options: RedisOptions = {}): Redis {
  return new Redis(address, { maxRetriesPerRequest: null, ...options });
}

/** What ioredis rejects a command with while it is not connected (offline queue off, no retries, or the command timed out). */
const outageRejections = [/^Connection is closed\.?$/, /^Stream isn't writeable and enableOfflineQueue options is false/, /^Command timed out$/, /^Reached the max retries per request limit/];
const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when a Redis command failed because Redis could not be reached (as opposed to a command Redis itself refused). */
export function isRedisUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || outageRejections.some((pattern) => pattern.test(error.message));
}

/** The errors a Redis connection emits while it cannot connect (what BullMQ re-emits on every reconnect attempt). */
export function isRedisConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return isRedisUnavailableError(error) || (code !== undefined && connectionErrorCodes.has(code));
}

import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';

/** How long an API process may answer from a cached key when it missed a change (its subscriber was reconnecting). */
export const principalCacheMs = 5000;

/**
 * Calls `forget` whenever any process announces a change to an account's keys, limits or standing, and whenever the
 * subscriber (re)connects, since it may have missed some while away.
 */
export function followAccountChanges(subscriber: Redis, keys: RedisKeys, forget: () => void): { close(): void } {
  subscriber.on('error', () => {});
  subscriber.on('message', forget);
  subscriber.on('ready', forget);
  subscriber.subscribe(keys.accountChanges()).catch(() => {});
  return { close: () => subscriber.disconnect() };
}

import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';

/** How long an API process may answer from a cached key when it missed a change (its subscriber was reconnecting). */
export const principalCacheMs = 5000;

/** Hears of a change to one account (its id), or of changes that may have been missed (null: the subscriber reconnected). */
export type AccountChangeListener = (accountId: string | null) => void;

export interface AccountChanges {
  /** Calls `listener` on every change, after the key cache has forgotten it; answers a function that stops it. */
  listen(listener: AccountChangeListener): () => void;
  close(): void;
}

/** For a process that serves no requests (a worker): it caches no keys and holds no connections to check. */
export const unfollowedAccountChanges: AccountChanges = { listen: () => () => {}, close: () => {} };

/**
 * Calls `forget` whenever any process announces a change to an account's keys, limits or standing, and whenever the
 * subscriber (re)connects, since it may have missed some while away; then tells the listeners which account changed.
 */
export function followAccountChanges(subscriber: Redis, keys: RedisKeys, forget: () => void): AccountChanges {
  const listeners = new Set<AccountChangeListener>();
  const changed = (accountId: string | null) => {
    forget();
    for (const listener of listeners) listener(accountId);
  };
  subscriber.on('error', () => {});
  subscriber.on('message', (_channel: string, accountId: string) => changed(accountId));
  subscriber.on('ready', () => changed(null));
  subscriber.subscribe(keys.accountChanges()).catch(() => {});
  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => subscriber.disconnect(),
  };
}

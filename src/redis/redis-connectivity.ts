import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.ts';

export interface RedisConnectivity {
  /** True while the watched client is connected and ready. */
  isUp(): boolean;
  /** Resolves true once the client is ready, or false after `timeoutMs`. */
  waitUntilUp(timeoutMs: number): Promise<boolean>;
  close(): void;
}

const reasonOf = (error: Error) => (error as NodeJS.ErrnoException).code ?? error.message;

/**
 * One log line per change of Redis reachability (down, still down every `stillDownEveryMs`, back) instead of
 * one stack trace per reconnect attempt. Other clients to the same Redis stay silent: this one speaks for them.
 */
export function watchRedisConnectivity(client: Redis, log: Logger, stillDownEveryMs = 30_000, now: () => number = Date.now): RedisConnectivity {
  let up = client.status === 'ready';
  let downSince: number | null = null;
  let reminder: NodeJS.Timeout | null = null;

  const markDown = (reason: string) => {
    up = false;
    if (downSince !== null) return;
    downSince = now();
    log.error({ event: 'redis.down', reason }, 'redis is unreachable: requests that need it answer 503 SERVICE_UNAVAILABLE until it is back');
    reminder = setInterval(() => log.warn({ event: 'redis.still_down', downForMs: now() - downSince! }, 'redis is still unreachable'), stillDownEveryMs);
    reminder.unref();
  };
  const onReady = () => {
    up = true;
    if (downSince === null) return;
    log.info({ event: 'redis.up', downForMs: now() - downSince }, 'redis is reachable again');
    downSince = null;
    if (reminder) clearInterval(reminder);
    reminder = null;
  };
  const onError = (error: Error) => markDown(reasonOf(error));
  const onClose = () => markDown('connection closed');

  client.on('ready', onReady);
  client.on('error', onError);
  client.on('close', onClose);
  return {
    isUp: () => up,
    waitUntilUp(timeoutMs) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          client.off('ready', ready);
          resolve(false);
        }, timeoutMs);
        const ready = () => {
          clearTimeout(timer);
          resolve(true);
        };
        client.once('ready', ready);
      });
    },
    close() {
      if (reminder) clearInterval(reminder);
      client.off('ready', onReady);
      client.off('close', onClose);
      // Keep a listener: an EventEmitter without one turns a late connection error into a crash.
      client.off('error', onError);
      client.on('error', () => {});
    },
  };
}

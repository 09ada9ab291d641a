import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface RedisServerHandle {
  /** What `createRedis` accepts: a `redis://` URL or a unix socket path. */
  readonly address: string;
  /** True when this process started the server and so must stop it. */
  readonly owned: boolean;
  stop(): Promise<void>;
  /** Synchronous last resort for `process.on('exit')`: signals the server to stop without waiting. */
  stopNow(): void;
}

export class RedisServerMissingError extends Error {
  constructor() {
    super('redis-server was not found on PATH. Install it (Debian/Ubuntu: apt-get install -y redis-server) or set REDIS_URL to a running Redis.');
  }
}

export interface RedisServerSupervision {
  /** The server died and is being started again (same data directory, so the AOF brings every key back). */
  onRestart?(exit: { code: number | null; signal: string | null }): void;
  onRestarted?(): void;
  /** It could not be started again: the caller should exit. */
  onGiveUp?(error: Error): void;
}

export interface RedisServerOptions {
  dir: string;
  /** Listen on this TCP port on 127.0.0.1 instead of a unix socket in `dir`. */
  port?: number;
  /** Restart the server when it dies (the embedded default); without it a death is only visible as Redis being down. */
  supervise?: RedisServerSupervision;
}

/** Restarts allowed inside one minute before giving up: a server that keeps dying needs a person. */
const maxRestartsPerMinute = 5;

const noServerToStop = { owned: false, stop: async () => {}, stopNow: () => {} } as const;

/**
 * Starts a private redis-server with AOF on, as BullMQ needs it (noeviction), or
 * reuses one already answering on the socket (for example an admin CLI next to a running gateway).
 */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServerHandle> {
  mkdirSync(options.dir, { recursive: true });
  const socketPath = path.join(options.dir, 'redis.sock');
  const address = options.port === undefined ? socketPath : `redis://127.0.0.1:${options.port}`;
  if (options.port === undefined && existsSync(socketPath) && (await answersPing(address))) return { address, ...noServerToStop };
  const args = redisServerArguments(options, socketPath);
  // A supervised server is the gateway's own, stopped by it last, after its drain: in a process group of its own, a
  // terminal's Ctrl-C (sent to the whole group) reaches genway only, not the Redis its in-flight work still needs.
  const ownProcessGroup = options.supervise !== undefined;
  let child = await spawnReadyServer(args, address, options.dir, ownProcessGroup);
  let stopping = false;
  const restarts: number[] = [];

  const superviseChild = (supervised: ChildProcess) => {
    supervised.once('exit', async (code, signal) => {
      const { supervise } = options;
      if (stopping || !supervise) return;
      supervise.onRestart?.({ code, signal });
      const now = Date.now();
      restarts.push(now);
      if (restarts.filter((at) => now - at < 60_000).length > maxRestartsPerMinute) {
        supervise.onGiveUp?.(new Error(`redis-server died ${maxRestartsPerMinute + 1} times within a minute; see ${path.join(options.dir, 'redis.log')}`));
        return;
      }
      try {
        child = await spawnReadyServer(args, address, options.dir, ownProcessGroup);
        if (stopping) return void child.kill('SIGTERM');
        superviseChild(child);
        supervise.onRestarted?.();
      } catch (error) {
        supervise.onGiveUp?.(error as Error);
      }
    });
  };
  superviseChild(child);
  return {
    address,
    owned: true,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
    stopNow: () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

function redisServerArguments(options: RedisServerOptions, socketPath: string): string[] {
  const listen = options.port === undefined ? ['--port', '0', '--unixsocket', socketPath, '--unixsocketperm', '700'] : ['--port', String(options.port), '--bind', '127.0.0.1'];
  return [
    ...listen,
    '--dir',
    options.dir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    '--logfile',
    path.join(options.dir, 'redis.log'),
  ];
}

async function spawnReadyServer(args: string[], address: string, dir: string, ownProcessGroup: boolean): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore', detached: ownProcessGroup });
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new RedisServerMissingError() : error));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} during start-up; see ${path.join(dir, 'redis.log')}`)));
  });
  try {
    await Promise.race([waitUntilReady(address), spawnFailure]);
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.on('error', () => {});
  return child;
}

async function waitUntilReady(address: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await answersPing(address)) return;
    await sleep(25);
  }
  throw new Error(`redis-server did not answer on ${address}`);
}

async function answersPing(address: string): Promise<boolean> {
  const client = new Redis(address, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

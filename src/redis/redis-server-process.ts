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
}

export class RedisServerMissingError extends Error {
  constructor() {
    super('redis-server was not found on PATH. Install it (Debian/Ubuntu: apt-get install -y redis-server) or set REDIS_URL to a running Redis.');
  }
}

export interface RedisServerOptions {
  dir: string;
  /** Listen on this TCP port on 127.0.0.1 instead of a unix socket in `dir`. */
  port?: number;
}

/**
 * Starts a private redis-server with AOF on, as BullMQ needs it (noeviction), or
 * reuses one already answering on the socket (for example an admin CLI next to a running gateway).
 */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServerHandle> {
  mkdirSync(options.dir, { recursive: true });
  const socketPath = path.join(options.dir, 'redis.sock');
  const address = options.port === undefined ? socketPath : `redis://127.0.0.1:${options.port}`;
  if (options.port === undefined && existsSync(socketPath) && (await answersPing(address))) {
    return { address, owned: false, stop: async () => {} };
  }
  const listen = options.port === undefined ? ['--port', '0', '--unixsocket', socketPath, '--unixsocketperm', '700'] : ['--port', String(options.port), '--bind', '127.0.0.1'];
  const child = spawn(
    'redis-server',
    [
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
    ],
    { stdio: 'ignore' },
  );
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new RedisServerMissingError() : error));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} during start-up; see ${path.join(options.dir, 'redis.log')}`)));
  });
  await Promise.race([waitUntilReady(address), spawnFailure]);
  child.removeAllListeners('exit');
  return { address, owned: true, stop: () => stopChild(child) };
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
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createDevAccountOnFirstStart } from './dev-account.ts';
import { connectRedis, createGateway, type Gateway } from './gateway.ts';
import { buildApp } from './http/build-app.ts';
import { startWorkers } from './jobs/worker-runtime.ts';
import { createLogger } from './logging/logger.ts';
import { type RedisServerHandle, RedisServerMissingError } from './redis/redis-server-process.ts';

export interface RoleSelection {
  api: boolean;
  worker: boolean;
}

/** Loads config or exits with one line naming the bad setting. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`genway: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Connects to Redis (starting a private one when REDIS_URL is unset) or exits with one line saying what to do. */
export async function connectRedisOrExit(config: Config): Promise<RedisServerHandle> {
  try {
    return await connectRedis(config);
  } catch (error) {
    if (error instanceof RedisServerMissingError) {
      process.stderr.write(`genway: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Runs the API, the worker, or both in one process (the embedded default), and shuts down cleanly on SIGINT/SIGTERM. */
export async function runProcess(roles: RoleSelection): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  const redisServer = await connectRedisOrExit(config);
  if (redisServer.owned) log.info({ dataDir: config.DATA_DIR }, 'started a private redis-server (REDIS_URL is unset)');
  const gateway: Gateway = createGateway(config, log, redisServer.address);
  const workers = roles.worker ? startWorkers(gateway) : null;
  let app: FastifyInstance | null = null;
  if (roles.api) {
    app = await buildApp(gateway);
    await app.listen({ port: config.PORT, host: config.HOST });
    log.info({ url: config.PUBLIC_URL, worker: roles.worker }, 'genway API listening');
    await createDevAccountOnFirstStart(gateway, (text) => process.stdout.write(text));
  } else {
    log.info('genway worker running');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app?.close();
    log.debug('api closed');
    await workers?.close();
    log.debug('workers closed');
    await gateway.close();
    await redisServer.stop();
    log.debug('redis stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

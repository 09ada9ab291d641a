import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Config, ConfigError, loadConfig, loadEnvFileIfPresent } from './config.ts';
import { createDevAccountOnFirstStart } from './dev-account.ts';
import { connectRedis, createGateway, type Gateway } from './gateway.ts';
import { registerOperationsRoutes } from './http/operations/operations-routes.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { Metrics } from './metrics/metrics.ts';
import { type RedisServerHandle, RedisServerMissingError, type RedisServerSupervision } from './redis/redis-server-process.ts';

export interface RoleSelection {
  api: boolean;
  worker: boolean;
}

/**
 * A worker's heap holds little that lives (its generations are in Redis) but churns through short-lived objects: V8's
 * default lets the old space grow to several times the live size between full collections (10,000 waiting generations
 * took a worker to 250 MB). Growing it by a quarter instead keeps the worker near its live size for the same CPU.
 */
const workerHeapGrowingPercent = 25;

/** How long start-up waits for Redis before serving anyway (requests then answer 503 until it is reachable). */
const redisStartupWaitMs = 2000;

/** Prints one line and exits: what every start-up failure an operator can fix looks like. */
export function exitWithLine(message: string, code = 1): never {
  process.stderr.write(`genway: ${message}\n`);
  process.exit(code);
}

/** Loads `.env` (when present) and config, or exits with one line naming the bad setting. */
export function loadConfigOrExit(): Config {
  try {
    loadEnvFileIfPresent();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWithLine(error.message);
    if ((error as NodeJS.ErrnoException).code !== undefined) exitWithLine(`could not read .env: ${(error as Error).message}`);
    throw error;
  }
}

/** Connects to Redis (starting a private one when REDIS_URL is unset) or exits with one line saying what to do. */
export async function connectRedisOrExit(config: Config, supervise?: RedisServerSupervision): Promise<RedisServerHandle> {
  try {
    return await connectRedis(config, supervise);
  } catch (error) {
    if (error instanceof RedisServerMissingError) exitWithLine(error.message);
    exitWithLine(`could not start redis-server: ${(error as Error).message}`);
  }
}

/**
 * A terminal's Ctrl-C reaches the whole process group, and npm forwards its own copy to us: the one request arrives
 * twice within a few milliseconds. Requests this close together are one; a later one means "now".
 */
const repeatedStopWindowMs = 1000;

/**
 * Stops the process in order on the first SIGINT/SIGTERM (stop accepting, finish in-flight requests and jobs,
 * close Redis), and at once on a second signal or when the time limit, counted from the first request, passes.
 */
class ProcessLifetime {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown> }> = [];
  private stopRequestedAt: number | null = null;

  constructor(
    private readonly log: Logger,
    private readonly timeLimitMs: number,
  ) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => this.onSignal(signal));
    process.on('uncaughtException', (error) => {
      log.fatal({ err: error }, 'uncaught exception');
      void this.stop('uncaughtException', 1);
    });
    process.on('unhandledRejection', (reason) => {
      log.fatal({ err: reason }, 'unhandled rejection');
      void this.stop('unhandledRejection', 1);
    });
  }

  /** Steps run in the order they were added. */
  onStop(name: string, run: () => Promise<unknown>) {
    this.steps.push({ name, run });
  }

  /** When whoever started us (npm, a shell, a supervisor) is gone, nobody will send us a signal: stop by ourselves. */
  stopWhenOrphaned() {
    const parent = process.ppid;
    if (parent <= 1) return;
    setInterval(() => {
      // npm may leave while we drain after its Ctrl-C: that is no reason to cut the drain short.
      if (process.ppid !== parent && this.stopRequestedAt === null) void this.stop('parent exited');
    }, 1000).unref();
  }

  private onSignal(signal: NodeJS.Signals) {
    if (this.stopRequestedAt !== null && performance.now() - this.stopRequestedAt < repeatedStopWindowMs) {
      this.log.info({ event: 'shutdown.repeated_signal', signal }, 'the same stop request again (Ctrl-C reaches npm and genway both): still stopping in order');
      return;
    }
    void this.stop(signal);
  }

  async stop(reason: string, exitCode = 0): Promise<void> {
    if (this.stopRequestedAt !== null) {
      this.log.warn({ event: 'shutdown.forced', reason }, 'second stop request: exiting now');
      process.exit(exitCode || 130);
    }
    this.stopRequestedAt = performance.now();
    this.log.info({ event: 'shutdown.started', reason, timeLimitMs: this.timeLimitMs }, 'shutting down');
    setTimeout(() => {
      this.log.error({ event: 'shutdown.deadline', timeLimitMs: this.timeLimitMs }, 'shutdown took too long: exiting anyway');
      process.exit(exitCode || 1);
    }, this.timeLimitMs).unref();
    for (const step of this.steps) {
      await step.run().catch((error: unknown) => this.log.warn({ err: error, step: step.name }, 'shutdown step failed'));
      this.log.debug({ step: step.name }, 'stopped');
    }
    this.log.info({ event: 'shutdown.finished', reason }, 'stopped');
    process.exit(exitCode);
  }
}

function superviseRedisServer(log: Logger, lifetime: ProcessLifetime): RedisServerSupervision {
  return {
    onRestart: (exit) => log.error({ event: 'redis_server.died', ...exit }, 'the private redis-server died; starting it again'),
    onRestarted: () => log.info({ event: 'redis_server.restarted' }, 'the private redis-server is running again'),
    onGiveUp: (error) => {
      process.stderr.write(`genway: the private redis-server could not be restarted: ${error.message}\n`);
      void lifetime.stop('redis-server gone', 1);
    },
  };
}

/** How often a closing server looks again for keep-alive connections that have just answered their last request. */
const idleConnectionSweepMs = 50;

/**
 * Stops accepting and waits for the requests in flight. Fastify closes the connections idle when it starts closing;
 * one that was still answering becomes idle afterwards and would hold the close for its keep-alive timeout (5 s and
 * more), so those are closed as soon as they have answered.
 */
async function closeHttp(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), idleConnectionSweepMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}

async function listenOrExit(app: FastifyInstance, config: Config, lifetime: ProcessLifetime, port = config.PORT): Promise<AddressInfo> {
  try {
    await app.listen({ port, host: config.HOST });
    return app.server.address() as AddressInfo;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${port} on ${config.HOST} is already in use; set PORT to a free port` : `cannot listen on ${config.HOST}:${port}: ${(error as Error).message}`;
    process.stderr.write(`genway: ${why}\n`);
    await lifetime.stop('cannot listen', 1);
    throw error;
  }
}

/** The address workers without PUBLIC_URL use for output links: the one this API really listens on. */
async function announcePublicUrl(gateway: Gateway, address: AddressInfo) {
  const { config } = gateway;
  const url = config.publicUrlIsSet ? config.PUBLIC_URL : config.PUBLIC_URL.replace(/:\d+$/, `:${address.port}`);
  await gateway.redis.set(gateway.keys.announcedPublicUrl(), url).catch(() => {});
  return url;
}

/** Runs the API, the worker, or both in one process (the embedded default), and shuts down cleanly on SIGINT/SIGTERM. */
export async function runProcess(roles: RoleSelection, stopTracing: () => Promise<void> = async () => {}): Promise<void> {
  if (roles.worker) v8.setFlagsFromString(`--heap-growing-percent=${workerHeapGrowingPercent}`);
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  const lifetime = new ProcessLifetime(log, config.SHUTDOWN_TIMEOUT_MS);
  lifetime.stopWhenOrphaned();
  const redisServer = await connectRedisOrExit(config, superviseRedisServer(log, lifetime));
  // Every way out, a crash included, stops the private Redis: it is never left running without us.
  process.on('exit', () => redisServer.stopNow());
  if (redisServer.owned) log.info({ dataDir: config.DATA_DIR }, 'started a private redis-server (REDIS_URL is unset)');

  const metrics = new Metrics();
  const apiGateway = roles.api ? createGateway(config, log, redisServer.address, { failFast: true, metrics }) : null;
  const workerGateway = roles.worker ? createGateway(config, log, redisServer.address, { failFast: false, metrics, reportConnectivity: !roles.api }) : null;
  const primary = (apiGateway ?? workerGateway)!;
  if (!(await primary.connectivity.waitUntilUp(redisStartupWaitMs))) log.error('redis is not reachable yet: serving anyway; requests answer 503 until it is');

  let app: FastifyInstance | null = null;
  // Each role loads only its own modules: a worker-only process never loads GraphQL and the HTTP API, nor an API-only one the worker.
  if (apiGateway) {
    const { buildApp } = await import('./app.ts');
    app = await buildApp(apiGateway);
    lifetime.onStop('http', () => closeHttp(app!));
  } else if (config.METRICS_PORT !== undefined) {
    const operations = Fastify({ loggerInstance: log as FastifyBaseLogger });
    registerOperationsRoutes(operations, primary);
    app = operations;
    lifetime.onStop('metrics', () => closeHttp(app!));
  }
  const workers = workerGateway ? (await import('./jobs/worker-runtime.ts')).startWorkers(workerGateway) : null;
  if (workers) lifetime.onStop('workers', () => workers.close(!primary.connectivity.isUp()));
  for (const gateway of [apiGateway, workerGateway]) if (gateway) lifetime.onStop('gateway', () => gateway.close());
  lifetime.onStop('redis-server', () => redisServer.stop());
  lifetime.onStop('tracing', stopTracing);

  if (apiGateway && app) {
    const url = await announcePublicUrl(apiGateway, await listenOrExit(app, config, lifetime));
    log.info({ url, worker: roles.worker }, 'genway API listening');
    if (apiGateway.connectivity.isUp()) await createDevAccountOnFirstStart(apiGateway, (text) => process.stdout.write(text)).catch((error) => log.warn({ err: error }, 'dev account not created'));
  } else {
    if (app) await listenOrExit(app, config, lifetime, config.METRICS_PORT);
    log.info({ metricsPort: config.METRICS_PORT }, 'genway worker running');
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { GatewayError, serviceUnavailableRetryAfterSeconds } from '../../errors/gateway-error.ts';
import type { GenerationQueue } from '../../jobs/job-queues.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { type MetricsAccess, metricsAccess, metricsOffWarning } from '../../metrics/metrics-access.ts';
import type { Redis } from '../../redis/redis-client.ts';
import type { RedisConnectivity } from '../../redis/redis-connectivity.ts';
import { withinTimeLimit } from '../../shared/time-limit.ts';
import { replyWithError } from '../error-handler.ts';

export interface OperationsDependencies {
  config: Pick<Config, 'REDIS_COMMAND_TIMEOUT_MS' | 'METRICS_TOKEN' | 'METRICS_PUBLIC'>;
  log: Logger;
  connectivity: Pick<RedisConnectivity, 'isUp'>;
  redis: Pick<Redis, 'ping'>;
  generationQueue: { queue: Pick<GenerationQueue['queue'], 'getJobCounts'> };
  metrics: Pick<Metrics, 'registry'>;
}

/** Answers whether this process can do its work: Redis answers, and the queues' connection too. */
async function readiness(dependencies: OperationsDependencies): Promise<{ ready: true } | { ready: false; reason: string }> {
  if (!dependencies.connectivity.isUp()) return { ready: false, reason: 'redis is unreachable' };
  try {
    await withinTimeLimit(Promise.all([dependencies.redis.ping(), dependencies.generationQueue.queue.getJobCounts('waiting')]), dependencies.config.REDIS_COMMAND_TIMEOUT_MS, 'redis');
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: `redis did not answer: ${(error as Error).message}` };
  }
}

const sameSecret = (given: string, expected: string) => given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

function guardMetrics(access: MetricsAccess) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (access.kind === 'public') return;
    if (access.kind === 'off') return replyWithError(reply, new GatewayError('NOT_FOUND', `No route for ${request.method} /metrics`));
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (sameSecret(given, access.token)) return;
    return replyWithError(reply.header('www-authenticate', 'Bearer'), new GatewayError('UNAUTHENTICATED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>'));
  };
}

/**
 * What an orchestrator and Prometheus call: `/livez` (the process is up), `/readyz` (it can serve; `/healthz` is the
 * same, kept for compatibility) and `/metrics`. None of them needs an API key; `/metrics` takes METRICS_TOKEN when set,
 * and without it is off in production unless METRICS_PUBLIC=true (see metricsAccess).
 */
export function registerOperationsRoutes(app: FastifyInstance, dependencies: OperationsDependencies) {
  const access = metricsAccess(dependencies.config);
  if (access.kind === 'off') dependencies.log.warn({ event: 'metrics.off' }, metricsOffWarning);
  app.get('/livez', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  const ready = async (_request: FastifyRequest, reply: FastifyReply) => {
    const state = await readiness(dependencies);
    if (state.ready) return { status: 'ok' };
    return reply.code(503).header('retry-after', String(serviceUnavailableRetryAfterSeconds)).send({ status: 'unavailable', reason: state.reason });
  };
  app.get('/readyz', { schema: { hide: true } }, ready);
  app.get('/healthz', { schema: { hide: true } }, ready);
  app.get('/metrics', { schema: { hide: true }, onRequest: guardMetrics(access) }, async (_request, reply) =>
    reply.type(dependencies.metrics.registry.contentType).send(await dependencies.metrics.registry.metrics()),
  );
}

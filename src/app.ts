import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController, type RawRequestDefaultExpression } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Gateway } from './gateway.ts';
import { addRateLimitHeaders, requireApiKey, requireRedis } from './http/authentication.ts';
import { registerConsole } from './http/console/console-routes.ts';
import { handleHttpError, handleNotFound } from './http/error-handler.ts';
import { registerFileRoutes } from './http/file-routes.ts';
import { idempotencyHooks } from './http/idempotency-hooks.ts';
import { parseJsonBodies } from './http/json-bodies.ts';
import { registerOperationsRoutes } from './http/operations/operations-routes.ts';
import { IdempotencyStore } from './idempotency/idempotency-store.ts';
import { redactUrl } from './logging/redact-url.ts';
import { RealtimeConnections } from './realtime/realtime-limits.ts';
import { falRoutes } from './surfaces/fal/fal-routes.ts';
import { graphqlRoutes } from './surfaces/graphql/graphql-routes.ts';
import { openaiRoutes } from './surfaces/openai/openai-routes.ts';
import { replicatePrefix, replicateRoutes } from './surfaces/replicate/replicate-routes.ts';
import { restRoutes } from './surfaces/rest/rest-routes.ts';
import { runwayRoutes } from './surfaces/runway/runway-routes.ts';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** A client's X-Request-Id when it is a sane token, else a new one; it is echoed and named in every log line about the request. */
function requestIdOf(request: RawRequestDefaultExpression): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/** Methods whose requests carry no body: an empty one is fine whatever Content-Type a client library adds. */
const bodilessMethods = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** One access-log line and the HTTP metrics per request, once it is answered. */
function observeRequests(app: FastifyInstance, gateway: Gateway) {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    gateway.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    // Upload links carry their token in the path.
    const url = redactUrl(request.url);
    request.log.info({ method: request.method, url, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 100) / 100, accountId: request.caller?.accountId }, 'request');
  });
}

/** Builds the HTTP app without listening, so tests drive it with `inject()` and servers call `listen()`. */
export async function buildApp(gateway: Gateway): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: gateway.log as FastifyBaseLogger,
    // Fastify's own two lines per request are replaced by one access-log line (observeRequests).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: gateway.config.BODY_LIMIT_BYTES,
    return503OnClosing: true,
    genReqId: requestIdOf,
  });
  parseJsonBodies(app, (request) => bodilessMethods.has(request.method));
  observeRequests(app, gateway);
  app.decorateRequest('caller', null);
  app.decorateRequest('rateLimit', null);
  app.decorateRequest('idempotencyKey', null);
  app.setErrorHandler(handleHttpError);
  app.setNotFoundHandler(handleNotFound);
  // Route schemas are zod schemas: Fastify validates with them, and the OpenAPI document is made from them.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'genway', description: 'One API for AI media generation across providers', version: '0.1.0' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerOperationsRoutes(app, gateway);
  await registerConsole(app);
  await registerFileRoutes(app, gateway);

  // Each surface is handed the gateway as the narrow dependencies it declares: it sees only what it uses.
  const realtime = new RealtimeConnections(gateway.config.REALTIME_CONNECTIONS_PER_ACCOUNT);
  app.addHook('preClose', async () => realtime.close());
  const graphql = await graphqlRoutes(app, gateway, realtime);
  await app.register(async (authenticated) => {
    const idempotency = idempotencyHooks(new IdempotencyStore(gateway.redis, gateway.keys));
    authenticated.addHook('onRequest', requireRedis(gateway.connectivity));
    authenticated.addHook('preHandler', requireApiKey(gateway.accounts));
    authenticated.addHook('preHandler', idempotency.preHandler);
    authenticated.addHook('onSend', idempotency.onSend);
    authenticated.addHook('onSend', addRateLimitHeaders(gateway.accountStatus));
    await authenticated.register(restRoutes(gateway, realtime));
    await authenticated.register(graphql);
  });
  // Runway's API authenticates, versions and words its errors its own way.
  await app.register(runwayRoutes(gateway, realtime), { prefix: '/runway' });
  await app.register(falRoutes(gateway), { prefix: '/fal' });
  await app.register(openaiRoutes(gateway, { waitMs: gateway.config.OPENAI_WAIT_MS }), { prefix: '/openai/v1' });
  await app.register(replicateRoutes(gateway), { prefix: replicatePrefix });
  return app;
}

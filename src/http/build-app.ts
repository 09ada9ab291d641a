import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import fastifyApollo from '@as-integrations/fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController, type RawRequestDefaultExpression } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Gateway } from '../gateway.ts';
import { createApolloServer } from '../graphql/apollo-server.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { buildGraphQLSchema } from '../graphql/graphql-schema.ts';
import { IdempotencyStore } from '../idempotency/idempotency-store.ts';
import { redactUrl } from '../logging/redact-url.ts';
import { RealtimeConnections } from '../realtime/realtime-limits.ts';
import { bodyDepthError } from '../shared/json-limits.ts';
import { filesRoutePrefix } from '../storage/local-disk-store.ts';
import { addRateLimitHeaders, requireApiKey, requireRedis } from './authentication.ts';
import { registerConsole } from './console/console-routes.ts';
import { handleHttpError, handleNotFound } from './error-handler.ts';
import { idempotencyHooks } from './idempotency-hooks.ts';
import { registerOperationsRoutes } from './operations/operations-routes.ts';
import { serveGraphQLSubscriptions } from './realtime/graphql-subscriptions.ts';
import { doitongRestRoutes } from './rest/doitong-routes.ts';
import { runwayCompatibleRoutes } from './runway-compatible/runway-routes.ts';
import { serveUploadLinks } from './runway-compatible/runway-upload-routes.ts';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** A client's X-Request-Id when it is a sane token, else a new one; it is echoed and named in every log line about the request. */
function requestIdOf(request: RawRequestDefaultExpression): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/** Methods whose requests carry no body: an empty one is fine whatever Content-Type a client library adds. */
const bodilessMethods = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

function acceptEmptyJsonWithoutBody(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '' && bodilessMethods.has(request.method)) return done(null, undefined);
    return parseJson(request, text, (error, parsed) => (error ? done(error) : done(bodyDepthError(parsed), parsed)));
  });
}

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
  acceptEmptyJsonWithoutBody(app);
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

  await mkdir(gateway.store.root, { recursive: true });
  // What writers that crashed mid-file left would keep a disk full after space is freed.
  await Promise.all([gateway.store.sweepPartials(), gateway.uploads.sweepPartials()]);
  await app.register(fastifyStatic, { root: gateway.store.root, prefix: filesRoutePrefix, decorateReply: false, index: false, maxAge: '365d', immutable: true });
  serveUploadLinks(app, gateway);

  const schema = buildGraphQLSchema();
  const realtime = new RealtimeConnections(gateway.config.REALTIME_CONNECTIONS_PER_ACCOUNT);
  const apollo = createApolloServer(gateway.config, gateway.log, schema);
  await apollo.start();
  serveGraphQLSubscriptions(app, gateway, schema, realtime);
  app.addHook('onClose', () => apollo.stop());
  await app.register(async (authenticated) => {
    const idempotency = idempotencyHooks(new IdempotencyStore(gateway.redis, gateway.keys));
    authenticated.addHook('onRequest', requireRedis(gateway.connectivity));
    authenticated.addHook('preHandler', requireApiKey(gateway.accounts));
    authenticated.addHook('preHandler', idempotency.preHandler);
    authenticated.addHook('onSend', idempotency.onSend);
    authenticated.addHook('onSend', addRateLimitHeaders(gateway.accountStatus));
    await authenticated.register(doitongRestRoutes(gateway, realtime));
    await authenticated.register(fastifyApollo(apollo), {
      context: async (request): Promise<GraphQLContext> => ({
        caller: request.caller!,
        gateway,
        reportRateLimit: (state) => (request.rateLimit = state),
      }),
    });
  });
  await app.register(runwayCompatibleRoutes(gateway, realtime), { prefix: '/runway' });
  return app;
}

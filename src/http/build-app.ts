import { mkdir } from 'node:fs/promises';
import fastifyApollo from '@as-integrations/fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Gateway } from '../gateway.ts';
import { createApolloServer } from '../graphql/apollo-server.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { IdempotencyStore } from '../idempotency/idempotency-store.ts';
import { filesRoutePrefix } from '../storage/local-disk-store.ts';
import { addRateLimitHeaders, requireApiKey } from './authentication.ts';
import { handleHttpError, handleNotFound } from './error-handler.ts';
import { idempotencyHooks } from './idempotency-hooks.ts';
import { doitongRestRoutes } from './rest/doitong-routes.ts';
import { runwayCompatibleRoutes } from './runway-compatible/runway-routes.ts';

/** Builds the HTTP app without listening, so tests drive it with `inject()` and servers call `listen()`. */
export async function buildApp(gateway: Gateway): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: gateway.log as FastifyBaseLogger,
    // Per-request access logs cost more than the gateway's own work on the hot path; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: gateway.config.BODY_LIMIT_BYTES,
    return503OnClosing: true,
  });
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

  app.get('/healthz', async (_request, reply) => {
    const redisUp = await gateway.redis.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    return reply.code(redisUp ? 200 : 503).send({ status: redisUp ? 'ok' : 'unavailable' });
  });

  await mkdir(gateway.store.root, { recursive: true });
  await app.register(fastifyStatic, { root: gateway.store.root, prefix: filesRoutePrefix, decorateReply: false, index: false, maxAge: '365d', immutable: true });

  const apollo = createApolloServer(gateway.config, gateway.log);
  await apollo.start();
  app.addHook('onClose', () => apollo.stop());
  await app.register(async (authenticated) => {
    const idempotency = idempotencyHooks(new IdempotencyStore(gateway.redis, gateway.keys));
    authenticated.addHook('preHandler', requireApiKey(gateway.accounts));
    authenticated.addHook('preHandler', idempotency.preHandler);
    authenticated.addHook('onSend', idempotency.onSend);
    authenticated.addHook('onSend', addRateLimitHeaders);
    await authenticated.register(doitongRestRoutes(gateway));
    await authenticated.register(fastifyApollo(apollo), {
      context: async (request): Promise<GraphQLContext> => ({
        caller: request.caller!,
        gateway,
        reportRateLimit: (state) => (request.rateLimit = state),
      }),
    });
  });
  await app.register(runwayCompatibleRoutes(gateway), { prefix: '/runway' });
  return app;
}

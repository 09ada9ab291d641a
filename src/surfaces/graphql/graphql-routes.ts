import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { RealtimeConnections } from '../../realtime/realtime-limits.ts';
import { createApolloServer } from './apollo-server.ts';
import type { GraphQLContext } from './context.ts';
import { buildGraphQLSchema } from './graphql-schema.ts';
import { type GraphQLSubscriptionDependencies, serveGraphQLSubscriptions } from './graphql-subscriptions.ts';

/** Everything GraphQL uses, over both transports. */
export type GraphQLSurfaceDependencies = GraphQLSubscriptionDependencies;

/**
 * GraphQL at /graphql. The WebSocket transport (graphql-ws) is served on `app`'s server at once and authenticates
 * its own connections; the HTTP transport (Apollo) is the plugin returned, for the caller to register where API keys,
 * idempotency and rate-limit headers apply.
 */
export async function graphqlRoutes(app: FastifyInstance, dependencies: GraphQLSurfaceDependencies, connections: RealtimeConnections): Promise<FastifyPluginAsync> {
  const schema = buildGraphQLSchema();
  const apollo = createApolloServer(dependencies.config, dependencies.log, schema);
  await apollo.start();
  serveGraphQLSubscriptions(app, dependencies, schema, connections);
  app.addHook('onClose', () => apollo.stop());
  return async (authenticated) => {
    await authenticated.register(fastifyApollo(apollo), {
      context: async (request): Promise<GraphQLContext> => ({
        caller: request.caller!,
        services: dependencies,
        reportRateLimit: (state) => (request.rateLimit = state),
      }),
    });
  };
}

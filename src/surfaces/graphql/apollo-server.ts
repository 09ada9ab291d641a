import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logging/logger.ts';
import type { GraphQLContext } from './context.ts';
import { createErrorFormatter, httpStatusFromErrorsPlugin } from './error-formatting.ts';
import { expandBareSelectionsPlugin } from './expand-bare-selections.ts';
import { graphqlProtections } from './graphql-protections.ts';
import { buildGraphQLSchema } from './graphql-schema.ts';

export function createApolloServer(config: Pick<Config, 'NODE_ENV'>, log: Logger, schema: GraphQLSchema = buildGraphQLSchema()): ApolloServer<GraphQLContext> {
  const protections = graphqlProtections(config);
  return new ApolloServer<GraphQLContext>({
    schema,
    validationRules: [...protections.validationRules],
    parseOptions: protections.parseOptions,
    plugins: [...protections.apolloPlugins, expandBareSelectionsPlugin(schema), httpStatusFromErrorsPlugin, ApolloServerPluginLandingPageDisabled()],
    allowBatchedHttpRequests: false,
    // Our process runner owns SIGINT/SIGTERM and stops Apollo through Fastify's onClose.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    // Introspection is refused in production by protections.validationRules, the rule graphql-ws applies too.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(log),
    logger: log,
  });
}

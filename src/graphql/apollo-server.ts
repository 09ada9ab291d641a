import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.ts';
import type { Logger } from '../logging/logger.ts';
import type { GraphQLContext } from './context.ts';
import { createErrorFormatter, httpStatusFromErrorsPlugin } from './error-formatting.ts';
import { expandBareSelectionsPlugin } from './expand-bare-selections.ts';
import { buildGraphQLSchema } from './graphql-schema.ts';

/** Limits sized for the generate API: shallow documents, few aliases (each alias can be a paid generation). */
const armor = new ApolloArmor({
  maxDepth: { n: 8 },
  maxAliases: { n: 10 },
  maxDirectives: { n: 20 },
  // Token counting happens in graphql-js's own parser (parseOptions below), so a long document is a 400 parse error.
  maxTokens: { enabled: false },
  // The largest legitimate query (a full 100-item page of generations with every field) costs about 14,000.
  costLimit: { maxCost: 30_000 },
  blockFieldSuggestion: { enabled: true },
});

export function createApolloServer(config: Pick<Config, 'NODE_ENV'>, log: Logger, schema: GraphQLSchema = buildGraphQLSchema()): ApolloServer<GraphQLContext> {
  const protection = armor.protect();
  // graphql-armor is typed against Apollo's CommonJS build; the plugin objects are the same at run time.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<GraphQLContext>[];
  return new ApolloServer<GraphQLContext>({
    schema,
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: 2000 },
    plugins: [...armorPlugins, expandBareSelectionsPlugin(schema), httpStatusFromErrorsPlugin, ApolloServerPluginLandingPageDisabled()],
    allowBatchedHttpRequests: false,
    // Our process runner owns SIGINT/SIGTERM and stops Apollo through Fastify's onClose.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    introspection: config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(log),
    logger: log,
  });
}

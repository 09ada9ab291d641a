import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import type { Config } from '../../config.ts';
import type { GraphQLContext } from './context.ts';
import { expandBareSelections } from './expand-bare-selections.ts';

/**
 * Limits sized for the generate API: shallow documents, few aliases (each alias can be a paid generation). Field
 * suggestions are hidden by `hideFieldSuggestions` below, which both transports use.
 */
const armor = new ApolloArmor({
  maxDepth: { n: 8 },
  maxAliases: { n: 10 },
  maxDirectives: { n: 20 },
  // Token counting happens in graphql-js's own parser (parseOptions below), so a long document is a parse error.
  maxTokens: { enabled: false },
  // The largest legitimate query (a full 100-item page of generations with every field) costs about 14,000.
  costLimit: { maxCost: 30_000 },
  blockFieldSuggestion: { enabled: false },
});
// Each protect() adds armor's error reporter to its options once more (every error would be reported again), so once.
const armorRules = armor.protect().validationRules as ValidationRule[];

/** Also what keeps validation cheap: a document of 2,000 tokens holds at most a few hundred fields to compare. */
const parseOptions: ParseOptions = { maxTokens: 2000 };

const fieldSuggestion = /\s*Did you mean .+\?$/;

/** "Did you mean …?" would list the schema's fields to a client that may not introspect it. */
export function hideFieldSuggestions(errors: readonly GraphQLError[]): void {
  for (const error of errors) error.message = error.message.replace(fieldSuggestion, '');
}

const hideFieldSuggestionsPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return { didEncounterErrors: async ({ errors }) => hideFieldSuggestions(errors) };
  },
};

/** The limits every GraphQL transport applies before it executes anything: HTTP (Apollo) and WebSocket (graphql-ws). */
export interface GraphQLProtections {
  parseOptions: ParseOptions;
  /** Beyond graphql-js's own rules: armor's limits and, in production, no introspection. */
  validationRules: readonly ValidationRule[];
  apolloPlugins: ApolloServerPlugin<GraphQLContext>[];
}

export function graphqlProtections(config: Pick<Config, 'NODE_ENV'>): GraphQLProtections {
  const introspection = config.NODE_ENV !== 'production';
  return {
    parseOptions,
    validationRules: [...armorRules, ...(introspection ? [] : [NoSchemaIntrospectionCustomRule])],
    apolloPlugins: [hideFieldSuggestionsPlugin],
  };
}

/** A document ready to execute, or the errors that refuse it, coded as Apollo codes them (the formatter maps both alike). */
export type PreparedOperation = { document: DocumentNode; operation: OperationDefinitionNode; variables: Record<string, unknown> | undefined } | { errors: GraphQLError[] };

export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const codedAs = (code: string, error: GraphQLError) => new GraphQLError(error.message, { nodes: error.nodes, originalError: error, extensions: { ...error.extensions, code } });

/**
 * What Apollo does with a request before executing it, for a transport Apollo does not serve (graphql-ws): parse
 * within the token limit, expand bare selections, validate with the same rules, find the operation to run, and check
 * its variables against their declared types.
 */
export function prepareOperation(schema: GraphQLSchema, protections: GraphQLProtections, { query, operationName, variables }: OperationRequest): PreparedOperation {
  let parsed: DocumentNode;
  try {
    parsed = parse(query, protections.parseOptions);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { errors: [codedAs('GRAPHQL_PARSE_FAILED', error)] };
  }
  const document = expandBareSelections(schema, parsed);
  const invalid = validate(schema, document, [...specifiedRules, ...protections.validationRules]);
  if (invalid.length > 0) return { errors: invalid.map((error) => codedAs('GRAPHQL_VALIDATION_FAILED', error)) };
  const operation = getOperationAST(document, operationName);
  if (!operation) return { errors: [new GraphQLError('The document names no operation to run, or several without an operationName', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })] };
  // Variables that do not fit their declared types are the client's mistake, as Apollo answers them over HTTP.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 10 });
  if (coerced.errors) return { errors: coerced.errors.map((error) => codedAs('BAD_USER_INPUT', error)) };
  return { document, operation, variables: variables ?? undefined };
}

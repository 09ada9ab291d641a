import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GatewayError, httpStatusByCode, isErrorCode, serviceUnavailable } from '../../errors/gateway-error.ts';
import type { Logger } from '../../logging/logger.ts';
import { isRedisUnavailableError } from '../../redis/redis-client.ts';

/** Apollo's own request errors are the client's fault: they become INVALID_INPUT, keeping Apollo's code as `reason`. */
const apolloInputErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** The gateway error behind a GraphQL error; Redis being unreachable counts as SERVICE_UNAVAILABLE. */
function findGatewayError(error: unknown): GatewayError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof GatewayError) return current;
    if (isRedisUnavailableError(current)) return serviceUnavailable();
    current = (current as { originalError?: unknown }).originalError ?? unwrapResolverError(current);
    if (current === error) break;
  }
  return null;
}

/** Every error leaves with a code from our closed set; anything unexpected is logged and masked as INTERNAL. */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const gatewayError = findGatewayError(error);
    const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (gatewayError) {
      return { ...base, message: gatewayError.message, extensions: { code: gatewayError.code, ...gatewayError.details, ...(gatewayError.retryable ? { retryable: true } : {}) } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && apolloInputErrorCodes.has(code)) return { ...base, extensions: { code: 'INVALID_INPUT', reason: code } };
    if (isErrorCode(code)) return formatted;
    log.error({ err: unwrapResolverError(error) }, 'unexpected error in a GraphQL request');
    return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL' } };
  };
}

/** Sets the HTTP status from the first error's code, as the seeds' status table says, and headers such as Retry-After. */
export const httpStatusFromErrorsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        const formatted = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        const code = formatted?.[0]?.extensions?.code;
        if (isErrorCode(code)) response.http.status = httpStatusByCode[code];
        const gatewayError = errors?.map(findGatewayError).find((found) => found !== null);
        for (const [name, value] of Object.entries(gatewayError?.headers ?? {})) response.http.headers.set(name.toLowerCase(), value);
      },
    };
  },
};

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type ExecutionArgs, type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AccountChanges } from '../../billing/account-changes.ts';
import type { AccountRepository, Principal } from '../../billing/account-repository.ts';
import type { Config } from '../../config.ts';
import { GatewayError, serviceUnavailable } from '../../errors/gateway-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { RealtimeConnections } from '../../realtime/realtime-limits.ts';
import type { RedisConnectivity } from '../../redis/redis-connectivity.ts';
import type { GraphQLContext, GraphQLServices } from './context.ts';
import { createErrorFormatter } from './error-formatting.ts';
import { graphqlProtections, hideFieldSuggestions, prepareOperation } from './graphql-protections.ts';
import { serveGraphQLWebSockets } from './graphql-ws-server.ts';

/** What the WebSocket transport uses beyond the resolvers' services: it authenticates its connections itself. */
export interface GraphQLSubscriptionDependencies extends GraphQLServices {
  config: Pick<Config, 'NODE_ENV' | 'REALTIME_HEARTBEAT_MS' | 'SUBSCRIPTIONS_PER_CONNECTION'>;
  log: Logger;
  accounts: Pick<AccountRepository, 'get' | 'authenticate'>;
  /** Changes to accounts announced by any process: an open connection's key is checked again. */
  accountChanges: Pick<AccountChanges, 'listen'>;
  connectivity: Pick<RedisConnectivity, 'isUp'>;
}

/** graphql-ws close codes we use beyond its own (4400 bad request, 4401 unauthorized, 4403 forbidden). */
const tooManyConnections = { code: 4429, reason: 'Too many connections for this account' };
const goingAway = { code: 1001, reason: 'Server shutting down' };
/** An open connection whose key stopped working: revoked or rolled (4401), or its account disabled (4403). */
const keyRefused = { code: 4401, reason: 'Unauthorized' };
const accountDisabled = { code: 4403, reason: 'Forbidden' };

/** The key in `connection_init`'s payload: `authorization: Bearer <key>` (or the bare key), or `x-api-key`. */
function apiKeyFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') return /^(?:Bearer\s+)?(\S+)\s*$/i.exec(authorization.trim())?.[1] ?? null;
  const apiKey = params?.['x-api-key'] ?? params?.apiKey;
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

interface Connection {
  /** Checked again before every operation and whenever its account changes: it may have been revoked since. */
  key: string;
  caller: Principal;
  socket: WebSocket;
  release(): void;
  subscriptions: number;
}

/**
 * Who the connection's key stands for now (cached by the account repository, which forgets on every announced
 * change); when the key no longer works, the socket is closed as graphql-ws closes a refused one.
 */
async function checkKey(connection: Connection, accounts: Pick<AccountRepository, 'authenticate'>): Promise<Principal | GatewayError> {
  const found = await accounts.authenticate(connection.key);
  if (found && found !== 'disabled') {
    connection.caller = found;
    return found;
  }
  const close = found === 'disabled' ? accountDisabled : keyRefused;
  connection.socket.close(close.code, close.reason);
  return found === 'disabled' ? new GatewayError('FORBIDDEN', 'This account is disabled') : new GatewayError('UNAUTHENTICATED', 'This API key no longer works');
}

/** The open connections of this process by account, so a change to an account reaches its sockets. */
class ConnectionsByAccount {
  private readonly byAccount = new Map<string, Set<Connection>>();

  add(connection: Connection): void {
    const connections = this.byAccount.get(connection.caller.accountId) ?? new Set();
    this.byAccount.set(connection.caller.accountId, connections.add(connection));
  }

  delete(connection: Connection): void {
    const connections = this.byAccount.get(connection.caller.accountId);
    connections?.delete(connection);
    if (connections?.size === 0) this.byAccount.delete(connection.caller.accountId);
  }

  /** One account's connections, or every connection (null: changes may have been missed). */
  of(accountId: string | null): Connection[] {
    if (accountId !== null) return [...(this.byAccount.get(accountId) ?? [])];
    return [...this.byAccount.values()].flatMap((connections) => [...connections]);
  }
}

const asGraphQLError = (error: GatewayError) => new GraphQLError(error.message, { originalError: error });

/**
 * GraphQL over the graphql-ws protocol on the API's own port and /graphql path. A connection is authenticated in
 * `connection_init`, its key checked again before every operation and whenever any process announces a change to its
 * account (a revoked key or a disabled account closes it); every operation passes the same limits as over HTTP
 * (graphql-protections.ts). Each account may hold a bounded number of connections, each with a bounded number of
 * operations; dead ones are found by ping and dropped; all are closed with 1001 when the server stops.
 */
export function serveGraphQLSubscriptions(app: FastifyInstance, dependencies: GraphQLSubscriptionDependencies, schema: GraphQLSchema, limits: RealtimeConnections) {
  const { config, accounts } = dependencies;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const connections = new WeakMap<object, Connection>();
  const open = new ConnectionsByAccount();
  const protections = graphqlProtections(config);
  const formatError = createErrorFormatter(dependencies.log);
  const formatErrors = (errors: readonly GraphQLError[]) => {
    hideFieldSuggestions(errors);
    return errors.map((error) => formatError(error.toJSON(), error));
  };
  const connectionOf = (context: Context) => connections.get(context.extra as object);
  // A WebSocket message has no headers to report the rate-limit window in; `account { rateLimit }` reads it.
  const contextOf = (connection: Connection): GraphQLContext => ({ caller: connection.caller, services: dependencies, reportRateLimit: () => {} });

  const stopFollowing = dependencies.accountChanges.listen((accountId) => {
    // Redis unreachable: the connection's next operation checks its key again before it runs.
    for (const connection of open.of(accountId)) checkKey(connection, accounts).catch(() => {});
  });

  serveGraphQLWebSockets(
    {
      schema,
      onConnect: async (context) => {
        const key = apiKeyFromConnectionParams(context.connectionParams);
        const principal = key ? await accounts.authenticate(key) : null;
        if (!key || !principal || principal === 'disabled') return false;
        // Closed while its key was being read: onClose has run already and would never release a slot taken now.
        const { socket } = context.extra;
        if (socket.readyState !== socket.OPEN) return false;
        const release = limits.admit(principal.accountId);
        if (!release) {
          socket.close(tooManyConnections.code, tooManyConnections.reason);
          return false;
        }
        const connection = { key, caller: principal, socket, release, subscriptions: 0 };
        connections.set(context.extra as object, connection);
        open.add(connection);
        return true;
      },
      onSubscribe: async (context, _id, payload): Promise<ExecutionArgs | GraphQLError[]> => {
        const connection = connectionOf(context)!;
        if (!dependencies.connectivity.isUp()) return [asGraphQLError(serviceUnavailable())];
        const caller = await checkKey(connection, accounts);
        if (caller instanceof GatewayError) return [asGraphQLError(caller)];
        if (connection.subscriptions >= config.SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${config.SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, { extensions: { code: 'RATE_LIMIT' } })];
        }
        const prepared = prepareOperation(schema, protections, payload);
        if ('errors' in prepared) return prepared.errors;
        connection.subscriptions++;
        return { schema, document: prepared.document, operationName: payload.operationName, variableValues: prepared.variables, contextValue: contextOf(connection) };
      },
      onComplete: (context) => {
        const connection = connectionOf(context);
        if (connection) connection.subscriptions--;
      },
      onNext: (_context, _id, _payload, _args, result: ExecutionResult) => (result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined),
      onError: (_context, _id, _payload, errors) => formatErrors(errors),
      onClose: (context) => {
        const connection = connectionOf(context);
        if (!connection) return;
        connection.release();
        open.delete(connection);
      },
    },
    wss,
    config.REALTIME_HEARTBEAT_MS,
    dependencies.log,
  );

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') return socket.destroy();
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });
  app.addHook('preClose', async () => {
    stopFollowing();
    for (const client of wss.clients) client.close(goingAway.code, goingAway.reason);
    await new Promise((resolve) => wss.close(resolve));
  });
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../../billing/account-repository.ts';
import type { Gateway } from '../../gateway.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { createErrorFormatter } from '../../graphql/error-formatting.ts';
import type { RealtimeConnections } from '../../realtime/realtime-limits.ts';

/** graphql-ws close codes we use beyond its own (4400 bad request, 4401 unauthorized, 4403 forbidden). */
const tooManyConnections = { code: 4429, reason: 'Too many connections for this account' };
const goingAway = { code: 1001, reason: 'Server shutting down' };

/** The key in `connection_init`'s payload: `authorization: Bearer <key>` (or the bare key), or `x-api-key`. */
function apiKeyFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') return /^(?:Bearer\s+)?(\S+)\s*$/i.exec(authorization.trim())?.[1] ?? null;
  const apiKey = params?.['x-api-key'] ?? params?.apiKey;
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

interface Connection {
  caller: Principal;
  release(): void;
  subscriptions: number;
}

/**
 * GraphQL subscriptions over the graphql-ws protocol on the API's own port and /graphql path. A connection is
 * authenticated once, in `connection_init`; each account may hold a bounded number, each with a bounded number of
 * subscriptions; dead ones are found by ping and dropped; all are closed with 1001 when the server stops.
 */
export function serveGraphQLSubscriptions(app: FastifyInstance, gateway: Gateway, schema: GraphQLSchema, limits: RealtimeConnections) {
  const { config } = gateway;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const connections = new WeakMap<object, Connection>();
  const formatError = createErrorFormatter(gateway.log);
  const connectionOf = (context: Context) => connections.get(context.extra as object);

  useServer<Record<string, unknown>, { socket: import('ws').WebSocket; request: IncomingMessage }>(
    {
      schema,
      context: (context): GraphQLContext => ({ caller: connectionOf(context)!.caller, gateway, reportRateLimit: () => {} }),
      onConnect: async (context) => {
        const key = apiKeyFromConnectionParams(context.connectionParams);
        const principal = key ? await gateway.accounts.authenticate(key) : null;
        if (!principal || principal === 'disabled') return false;
        const release = limits.admit(principal.accountId);
        if (!release) {
          context.extra.socket.close(tooManyConnections.code, tooManyConnections.reason);
          return false;
        }
        connections.set(context.extra as object, { caller: principal, release, subscriptions: 0 });
        return true;
      },
      onSubscribe: (context) => {
        const connection = connectionOf(context)!;
        if (connection.subscriptions >= config.SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${config.SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, { extensions: { code: 'RATE_LIMIT' } })];
        }
        connection.subscriptions++;
      },
      onComplete: (context) => {
        const connection = connectionOf(context);
        if (connection) connection.subscriptions--;
      },
      onNext: (_context, _id, _payload, _args, result: ExecutionResult) => (result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : undefined),
      onClose: (context) => connectionOf(context)?.release(),
    },
    wss,
    config.REALTIME_HEARTBEAT_MS,
  );

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') return socket.destroy();
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });
  app.addHook('preClose', async () => {
    for (const client of wss.clients) client.close(goingAway.code, goingAway.reason);
    await new Promise((resolve) => wss.close(resolve));
  });
}

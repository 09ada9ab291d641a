import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, MessageType, makeServer, parseMessage, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../logging/logger.ts';

export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Messages only a server sends: a client that sends one breaks the protocol (graphql-ws itself would throw a 4500). */
const serverOnly = new Set<string>([MessageType.ConnectionAck, MessageType.Next, MessageType.Error]);

/** A protocol breach is the client's fault (4400); anything else a fault of ours, logged, its text kept from the client. */
function breachOf(data: string): boolean {
  try {
    return serverOnly.has(parseMessage(data).type);
  } catch {
    return true;
  }
}

/**
 * graphql-ws over a `ws` server, as its own `useServer` does, except that a client's protocol breach closes the socket
 * with 4400 instead of surfacing as an internal error, and our faults go to the gateway's log (never to stderr or the
 * close reason). `keepAliveMs`: how often a connection is pinged, and how long its pong may take before it is dropped.
 */
export function serveGraphQLWebSockets(options: ServerOptions<Record<string, unknown>, SocketExtra>, wss: WebSocketServer, keepAliveMs: number, log: Logger) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('error', (error) => log.error({ err: error }, 'WebSocket server error'));
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.once('error', (error) => {
      log.warn({ err: error }, 'WebSocket connection error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    const stopPinging = keepAlive(socket, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (raw) => {
            const data = String(raw);
            if (breachOf(data)) return socket.close(CloseCode.BadRequest, 'Invalid message received');
            try {
              await handle(data);
            } catch (error) {
              log.error({ err: error }, 'WebSocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      stopPinging();
      closed(code, String(reason));
    });
  });
}

/** Pings every `intervalMs`; a connection that has not answered the last ping by the next one is terminated. */
function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) return () => {};
  let answered = true;
  socket.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, intervalMs);
  return () => clearInterval(timer);
}

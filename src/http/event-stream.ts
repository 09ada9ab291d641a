import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { GatewayError, serviceUnavailable } from '../errors/gateway-error.ts';
import type { Generation } from '../generations/generation.ts';
import type { GenerationService } from '../generations/generation-service.ts';
import { stoppable, type WatchDependencies, watchGeneration } from '../realtime/generation-events.ts';
import type { RealtimeConnections } from '../realtime/realtime-limits.ts';
import { isRedisUnavailableError } from '../redis/redis-client.ts';

/** What an event stream reads: the caller's generation, and this process's hub of changes to it. */
export interface EventStreamDependencies {
  config: Pick<Config, 'REALTIME_CONNECTIONS_PER_ACCOUNT' | 'REALTIME_HEARTBEAT_MS'>;
  events: WatchDependencies['hub'];
  service: Pick<GenerationService, 'get'>;
}

/** Server-sent events are one transport for every surface that offers them (REST, Runway): each renders its own bodies. */
export interface EventStreamOptions {
  dependencies: EventStreamDependencies;
  connections: RealtimeConnections;
  /** The body of each event: the generation as this API shows it. */
  render(generation: Generation): unknown;
  /** The body of the one error event, should the stream end on an error. */
  renderError(error: GatewayError): unknown;
}

const frame = (event: string, id: number, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `text/event-stream` of one generation: its current state first, one `generation` event per change, and the end
 * of the stream after a final state. A comment line every heartbeat keeps proxies from closing a quiet stream.
 * An unknown id (or another account's) is an ordinary 404 before the stream starts.
 */
export async function streamGeneration(request: FastifyRequest, reply: FastifyReply, generationId: string, options: EventStreamOptions) {
  const { config, events, service } = options.dependencies;
  const caller = request.caller!;
  await service.get(caller, generationId);
  const release = options.connections.admit(caller.accountId);
  if (!release) throw new GatewayError('RATE_LIMIT', `At most ${config.REALTIME_CONNECTIONS_PER_ACCOUNT} open event streams and subscriptions per account`, { retryable: true });

  const watch = stoppable((signal) => watchGeneration({ hub: events, read: (id) => service.get(caller, id) }, caller.accountId, generationId, signal));
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-request-id': request.id });
  out.write(': genway generation events\n\n');
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), config.REALTIME_HEARTBEAT_MS);
  const stop = () => watch.stop();
  request.raw.on('close', stop);
  options.connections.closing.addEventListener('abort', stop, { once: true });
  if (options.connections.closing.aborted) stop();
  let sequence = 0;
  try {
    for await (const generation of watch) out.write(frame('generation', ++sequence, options.render(generation)));
  } catch (error) {
    const known = error instanceof GatewayError ? error : isRedisUnavailableError(error) ? serviceUnavailable() : new GatewayError('INTERNAL', 'Internal server error');
    if (known.code === 'INTERNAL') request.log.error({ err: error }, 'event stream failed');
    out.write(frame('error', ++sequence, options.renderError(known)));
  } finally {
    clearInterval(heartbeat);
    options.connections.closing.removeEventListener('abort', stop);
    release();
    out.end();
  }
}

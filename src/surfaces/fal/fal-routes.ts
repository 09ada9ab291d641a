import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AccountRepository } from '../../billing/account-repository.ts';
import type { AccountStatus } from '../../billing/account-status.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Generation } from '../../generations/generation.ts';
import type { Caller, GenerationService } from '../../generations/generation-service.ts';
import { protectWithApiKeys } from '../../http/api-key-surface.ts';
import { parseJsonBodies } from '../../http/json-bodies.ts';
import { awaitGenerationEnd, type WatchDependencies } from '../../realtime/generation-events.ts';
import type { Redis } from '../../redis/redis-client.ts';
import type { RedisConnectivity } from '../../redis/redis-connectivity.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { falErrorHandler, sendFalError, withFalLocation } from './fal-errors.ts';
import { falModelTable } from './fal-model-table.ts';
import { falInputToRequest, usualLocationOf } from './fal-request-mapping.ts';
import { type FalTarget, parseFalTarget, targetUrlHeader } from './fal-target.ts';
import { appOf, falQueueStatus, falRequestUrls, falResult } from './fal-views.ts';

/** What the fal proxy uses: authentication, the generation service, the events `fal.run` waits on, and Idempotency-Key records. */
export interface FalSurfaceDependencies {
  connectivity: Pick<RedisConnectivity, 'isUp'>;
  accounts: Pick<AccountRepository, 'authenticate'>;
  accountStatus: Pick<AccountStatus, 'minuteWindow'>;
  service: Pick<GenerationService, 'create' | 'get' | 'cancel'>;
  events: WatchDependencies['hub'];
  redis: Redis;
  keys: RedisKeys;
}

/** How long `fal.run` holds its answer before giving up with fal's request_timeout (the generation carries on). */
const runHoldMs = 10 * 60_000;
const requestIdHeader = 'x-fal-request-id';

/** The caller's generation that a fal request id names; another account's, or an unknown id, is fal's 404. */
async function requestOf(service: FalSurfaceDependencies['service'], caller: Caller, requestId: string): Promise<Generation> {
  try {
    return await service.get(caller, requestId);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'NOT_FOUND') throw new GatewayError('NOT_FOUND', `Request ${requestId} not found`, { details: { field: 'request_id' } });
    throw error;
  }
}

/** A failed or cancelled request's result, as fal reports it when the result is asked for. */
function endedWithoutOutput(generation: Generation): GatewayError {
  if (generation.status === 'CANCELLED') return new GatewayError('INVALID_INPUT', 'Request was cancelled', { details: { field: 'request_id', loc: ['path', 'request_id'] } });
  const failure = generation.error ?? { code: 'GENERATION_FAILED' as const, message: 'The request failed', retryable: false };
  const field = failure.field ?? (failure.code === 'CONTENT_MODERATION' ? 'input.text' : undefined);
  return new GatewayError(failure.code, failure.message, { retryable: failure.retryable, details: field ? { field, loc: usualLocationOf(field) } : {} });
}

/**
 * A proxy for `@fal-ai/client` at /fal/proxy: the client names the fal call in `x-fal-target-url` (queue submit,
 * status, result, cancel, or `fal.run`), and genway runs the endpoint's model on its own provider, with the
 * account's key (`credentials`) and all of genway's validation, credits, limits, idempotency and sandbox.
 */
export function falRoutes(dependencies: FalSurfaceDependencies): FastifyPluginAsyncZod {
  const { service } = dependencies;
  return async (app) => {
    // Its client sends `Content-Type: application/json` on every call, bodiless ones too.
    parseJsonBodies(app, () => true);
    app.setErrorHandler(falErrorHandler);
    app.setNotFoundHandler((request, reply) => sendFalError(reply, new GatewayError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)));
    // Every proxied call has the same URL; the fal call it stands for is its target header.
    protectWithApiKeys(app, dependencies, { send: sendFalError, idempotencyTarget: (request) => String(request.headers[targetUrlHeader] ?? request.url) });

    const create = async (request: FastifyRequest, endpointId: string, webhookUrl?: string) => {
      const route = falModelTable.get(endpointId);
      if (!route) throw new GatewayError('NOT_FOUND', `Application '${endpointId}' not found: see the fal model table for the ids this proxy serves`, { details: { field: 'endpoint_id' } });
      let locate = usualLocationOf;
      try {
        const mapping = falInputToRequest(route, request.body, webhookUrl);
        locate = mapping.locationOf;
        const { generation, rateLimit } = await service.create(request.caller!, mapping.request);
        request.rateLimit = rateLimit;
        return generation;
      } catch (error) {
        throw withFalLocation(error, locate);
      }
    };

    const run = async (request: FastifyRequest, reply: FastifyReply, endpointId: string) => {
      const created = await create(request, endpointId);
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const watch = { hub: dependencies.events, read: (id: string) => service.get(request.caller!, id) };
      const generation = await awaitGenerationEnd(watch, created.accountId, created.id, runHoldMs, gone.signal);
      if (generation.status === 'COMPLETED') return reply.header(requestIdHeader, generation.id).send(falResult(generation));
      if (generation.status === 'QUEUED' || generation.status === 'PROCESSING') {
        return reply.code(504).header(requestIdHeader, generation.id).header('x-fal-error-type', 'request_timeout').send({ detail: 'Request timed out', error_type: 'request_timeout' });
      }
      throw endedWithoutOutput(generation);
    };

    const answer = async (request: FastifyRequest, reply: FastifyReply, target: FalTarget) => {
      switch (target.kind) {
        case 'submit': {
          const generation = await create(request, target.endpointId, target.webhookUrl);
          return reply.header(requestIdHeader, generation.id).send({ status: 'IN_QUEUE', queue_position: 0, ...falRequestUrls(appOf(target.endpointId), generation.id) });
        }
        case 'run':
          return run(request, reply, target.endpointId);
        case 'status': {
          const generation = await requestOf(service, request.caller!, target.requestId);
          const status = falQueueStatus(generation, target.app, target.logs);
          return reply.code(status.status === 'COMPLETED' ? 200 : 202).send(status);
        }
        case 'result': {
          const generation = await requestOf(service, request.caller!, target.requestId);
          if (generation.status === 'COMPLETED') return reply.header(requestIdHeader, generation.id).send(falResult(generation));
          if (generation.status === 'QUEUED' || generation.status === 'PROCESSING') {
            throw new GatewayError('INVALID_INPUT', 'Request is still in progress', { details: { field: 'request_id', loc: ['path', 'request_id'] } });
          }
          throw endedWithoutOutput(generation);
        }
        case 'cancel': {
          const generation = await requestOf(service, request.caller!, target.requestId);
          const cancelled = await service.cancel(request.caller!, generation.id);
          return cancelled ? reply.code(202).send({ status: 'CANCELLATION_REQUESTED' }) : reply.code(400).send({ status: 'ALREADY_COMPLETED' });
        }
      }
    };

    app.route({
      method: ['GET', 'POST', 'PUT'],
      url: '/proxy',
      schema: { summary: 'A proxy for @fal-ai/client: x-fal-target-url names the fal call', tags: ['fal-compatible'] },
      handler: (request, reply) => answer(request, reply, parseFalTarget(request.headers[targetUrlHeader], request.method)),
    });
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.ts';
import { IdempotencyStore } from '../idempotency/idempotency-store.ts';
import { replyWithError } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

const maxKeyLength = 255;

/**
 * A successful answer is stored; anything else (validation errors included) frees the key for a retry.
 * The status says which: every coded error, GraphQL ones too, answers with a 4xx or 5xx.
 */
function succeeded(statusCode: number, payload: unknown): payload is string {
  return statusCode >= 200 && statusCode < 300 && typeof payload === 'string';
}

/**
 * `Idempotency-Key` on POST requests, Stripe's way: the first response is kept for 24 hours and
 * replayed (with `Idempotent-Replayed: true`) to a retry of the same request; the same key with
 * another request is IDEMPOTENCY_CONFLICT (422); while the first is still running, 409.
 * Runs after authentication, so keys are scoped to the account. `targetOf` names what a request asks for, its URL
 * unless the surface routes by something else (a proxy's target header): the same key for another target is a conflict.
 */
export function idempotencyHooks(
  store: IdempotencyStore,
  send: (reply: FastifyReply, error: GatewayError) => unknown = replyWithError,
  targetOf: (request: FastifyRequest) => string = (request) => request.url,
) {
  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply) {
      const header = request.headers['idempotency-key'];
      if (request.method !== 'POST' || typeof header !== 'string' || !request.caller) return;
      const key = header.trim();
      if (key === '' || key.length > maxKeyLength) {
        return send(reply, new GatewayError('INVALID_INPUT', `Idempotency-Key must be 1 to ${maxKeyLength} characters`, { details: { field: 'Idempotency-Key' } }));
      }
      const fingerprint = IdempotencyStore.fingerprint([request.method, targetOf(request), JSON.stringify(request.body ?? null)]);
      const claim = await store.claim(request.caller.accountId, key, fingerprint);
      if (claim.kind === 'claimed') {
        request.idempotencyKey = key;
        return;
      }
      if (claim.kind === 'replay') return reply.code(claim.status).type(claim.contentType).header('idempotent-replayed', 'true').send(claim.body);
      if (claim.kind === 'conflict') {
        return send(reply, new GatewayError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request', { details: { field: 'Idempotency-Key' } }));
      }
      return send(
        reply,
        new GatewayError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly', { retryable: true, headers: { 'retry-after': '1' } }),
      );
    },

    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const key = request.idempotencyKey;
      if (!key || !request.caller) return payload;
      request.idempotencyKey = null;
      if (succeeded(reply.statusCode, payload)) {
        await store.complete(request.caller.accountId, key, { status: reply.statusCode, contentType: String(reply.getHeader('content-type') ?? 'application/json'), body: payload });
      } else {
        await store.release(request.caller.accountId, key);
      }
      return payload;
    },
  };
}

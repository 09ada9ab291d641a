import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRepository, Principal } from '../billing/account-repository.ts';
import type { AccountStatus } from '../billing/account-status.ts';
import { type RateLimitState, rateLimitHeaders } from '../billing/rate-limits.ts';
import { GatewayError, serviceUnavailable } from '../errors/gateway-error.ts';
import type { RedisConnectivity } from '../redis/redis-connectivity.ts';
import { replyWithError } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks its own credential (a session key, an upload form's token), not an API key. */
    authenticatesItself?: boolean;
  }
  interface FastifyRequest {
    caller: Principal | null;
    /** The per-minute window to report in X-RateLimit-* headers; updated when the request itself uses it. */
    rateLimit: RateLimitState | null;
  }
}

/**
 * `Authorization: Bearer <key>` (GraphQL) or `X-API-Key: <key>` (REST); both work everywhere, and so do a bare key in
 * Authorization and fal's `Authorization: Key <key>` (what `@fal-ai/client` sends for its `credentials`).
 */
export function apiKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.trim()) {
    const match = /^(?:(?:Bearer|Key)\s+)?(\S+)\s*$/i.exec(header.trim());
    return match ? match[1]! : null;
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

/** A preHandler that answers 401 UNAUTHENTICATED unless the request carries a valid key; `send` renders the error in the API's own shape. */
export function requireApiKey(accounts: Pick<AccountRepository, 'authenticate'>, send: (reply: FastifyReply, error: GatewayError) => unknown = replyWithError) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = apiKeyOf(request);
    const principal = key ? await accounts.authenticate(key) : null;
    if (principal === 'disabled') return send(reply, new GatewayError('FORBIDDEN', 'This account is disabled; its keys are refused until an operator enables it'));
    if (!principal) {
      const error = new GatewayError('UNAUTHENTICATED', key ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer <key> or X-API-Key: <key>');
      return send(reply.header('www-authenticate', 'Bearer'), error);
    }
    request.caller = principal;
    request.rateLimit = principal.rateLimit;
  };
}

/** An onRequest hook: while Redis is unreachable, answer 503 SERVICE_UNAVAILABLE at once rather than wait for it. */
export function requireRedis(connectivity: Pick<RedisConnectivity, 'isUp'>, send: (reply: FastifyReply, error: GatewayError) => unknown = replyWithError) {
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!connectivity.isUp()) return send(reply, serviceUnavailable());
  };
}

/**
 * An onSend hook: every authenticated response carries the seed's X-RateLimit-* headers (unless an error set its own).
 * A request whose key was cached and that did not create anything reads the window here.
 */
export function addRateLimitHeaders(status: Pick<AccountStatus, 'minuteWindow'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.caller || reply.hasHeader('x-ratelimit-limit')) return;
    const state = request.rateLimit ?? (await status.minuteWindow(request.caller.accountId, request.caller.limits).catch(() => null));
    if (state) reply.headers(rateLimitHeaders(state));
  };
}

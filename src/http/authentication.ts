import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRepository } from '../billing/account-repository.ts';
import { GatewayError, toErrorBody } from '../errors/gateway-error.ts';
import type { Caller } from '../generations/generation-service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** `Authorization: Bearer <key>` (GraphQL) or `X-API-Key: <key>` (REST); both work everywhere. */
export function apiKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : null;
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

/** A preHandler that answers 401 UNAUTHENTICATED unless the request carries a valid key. */
export function requireApiKey(accounts: Pick<AccountRepository, 'authenticate'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = apiKeyOf(request);
    const principal = key ? await accounts.authenticate(key) : null;
    if (!principal) {
      const error = new GatewayError('UNAUTHENTICATED', key ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer <key> or X-API-Key: <key>');
      return reply.code(error.httpStatus).header('www-authenticate', 'Bearer').send(toErrorBody(error));
    }
    request.caller = principal;
  };
}

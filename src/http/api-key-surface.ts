import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { AccountRepository } from '../billing/account-repository.ts';
import type { AccountStatus } from '../billing/account-status.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { IdempotencyStore } from '../idempotency/idempotency-store.ts';
import type { RedisConnectivity } from '../redis/redis-connectivity.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { addRateLimitHeaders, requireApiKey, requireRedis } from './authentication.ts';
import { idempotencyHooks } from './idempotency-hooks.ts';

/** What a surface behind API keys needs from the host. */
export interface ApiKeySurfaceDependencies {
  connectivity: Pick<RedisConnectivity, 'isUp'>;
  accounts: Pick<AccountRepository, 'authenticate'>;
  accountStatus: Pick<AccountStatus, 'minuteWindow'>;
  redis: Redis;
  keys: RedisKeys;
}

export interface ApiKeySurfaceOptions {
  /** How the surface answers an error, in its own ecosystem's body. */
  send(reply: FastifyReply, error: GatewayError): unknown;
  /** What a request asks for, for Idempotency-Key (its URL unless the surface routes by something else). */
  idempotencyTarget?(request: FastifyRequest): string;
}

/**
 * The checks every compatibility surface runs, in one order: Redis up, the API key, Idempotency-Key, then the
 * rate-limit headers on the answer; each refusal in the surface's own error body.
 */
export function protectWithApiKeys(app: FastifyInstance, dependencies: ApiKeySurfaceDependencies, { send, idempotencyTarget }: ApiKeySurfaceOptions) {
  const idempotency = idempotencyHooks(new IdempotencyStore(dependencies.redis, dependencies.keys), send, idempotencyTarget);
  app.addHook('onRequest', requireRedis(dependencies.connectivity, send));
  app.addHook('preHandler', requireApiKey(dependencies.accounts, send));
  app.addHook('preHandler', idempotency.preHandler);
  app.addHook('onSend', idempotency.onSend);
  app.addHook('onSend', addRateLimitHeaders(dependencies.accountStatus));
}

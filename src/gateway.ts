import path from 'node:path';
import type { ConnectionOptions } from 'bullmq';
import { AccountRepository } from './billing/account-repository.ts';
import { AccountStatus } from './billing/account-status.ts';
import { ConcurrencySlots } from './billing/concurrency-slots.ts';
import type { Config } from './config.ts';
import { GenerationLifecycle } from './generations/generation-lifecycle.ts';
import { GenerationRepository } from './generations/generation-repository.ts';
import { GenerationService } from './generations/generation-service.ts';
import { RouteCircuits } from './health/route-health.ts';
import { GenerationQueue, WebhookQueue } from './jobs/job-queues.ts';
import type { Logger } from './logging/logger.ts';
import { OutboundUrlPolicy } from './net/outbound-url-policy.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { createRedis, type Redis } from './redis/redis-client.ts';
import { type RedisKeys, redisKeys } from './redis/redis-keys.ts';
import { type RedisServerHandle, startRedisServer } from './redis/redis-server-process.ts';
import { LocalDiskStore } from './storage/local-disk-store.ts';
import { WebhookDeliveryLog } from './webhooks/webhook-delivery-log.ts';
import { WebhookService } from './webhooks/webhook-service.ts';

/** Everything the API and the worker share, built once per process from config. */
export interface Gateway {
  config: Config;
  log: Logger;
  redis: Redis;
  /** BullMQ's own connection (its workers duplicate it for blocking reads). */
  bullRedis: Redis;
  keys: RedisKeys;
  bullPrefix: string;
  accounts: AccountRepository;
  accountStatus: AccountStatus;
  repository: GenerationRepository;
  lifecycle: GenerationLifecycle;
  circuits: RouteCircuits;
  registry: ProviderRegistry;
  slots: ConcurrencySlots;
  service: GenerationService;
  generationQueue: GenerationQueue;
  webhookQueue: WebhookQueue;
  deliveries: WebhookDeliveryLog;
  webhooks: WebhookService;
  urls: OutboundUrlPolicy;
  store: LocalDiskStore;
  close(): Promise<void>;
}

export const outputsDirectory = (config: Config) => path.join(config.DATA_DIR, 'outputs');

export function createGateway(config: Config, log: Logger, redisAddress: string, now: () => number = Date.now): Gateway {
  // Commands issued in the same tick share one socket write: under load that halves the API's syscalls.
  const redis = createRedis(redisAddress, { enableAutoPipelining: true });
  const bullRedis = createRedis(redisAddress);
  for (const client of [redis, bullRedis]) client.on('error', (error) => log.error({ err: error }, 'redis connection error'));
  const keys = redisKeys(config.REDIS_PREFIX);
  const { bullPrefix } = keys;
  const connection = bullRedis as unknown as ConnectionOptions;
  const repository = new GenerationRepository(redis, keys, now);
  const registry = new ProviderRegistry({ settings: config, creditsPerUsd: config.CREDITS_PER_USD, pollIntervalMs: config.UPSTREAM_POLL_INTERVAL_MS });
  const lifecycle = new GenerationLifecycle(repository, now);
  const circuits = new RouteCircuits(redis, keys, { failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, cooldownMs: config.CIRCUIT_COOLDOWN_MS, errorRate: config.CIRCUIT_ERROR_RATE }, now);
  const generationQueue = new GenerationQueue(connection, bullPrefix, { attempts: config.UPSTREAM_RETRY_ATTEMPTS, baseDelayMs: config.UPSTREAM_RETRY_BASE_MS });
  const slots = new ConcurrencySlots(redis, keys, now);
  const deliveries = new WebhookDeliveryLog(redis, keys);
  const urls = new OutboundUrlPolicy({ allowPrivate: config.ALLOW_PRIVATE_URLS, trustedOrigins: config.TRUSTED_ORIGINS, connectTimeoutMs: config.WEBHOOK_TIMEOUT_MS });
  const service = new GenerationService({ repository, lifecycle, registry, queue: generationQueue, slots, urls, now, log });
  const webhookQueue = new WebhookQueue(connection, bullPrefix, config.WEBHOOK_RETRY_SCHEDULE_MS);
  return {
    config,
    log,
    redis,
    keys,
    bullPrefix,
    bullRedis,
    accounts: new AccountRepository(redis, keys, now),
    accountStatus: new AccountStatus(redis, keys, now),
    repository,
    lifecycle,
    circuits,
    registry,
    slots,
    service,
    generationQueue,
    webhookQueue,
    deliveries,
    webhooks: new WebhookService({ generations: service, deliveries, queue: webhookQueue }),
    urls,
    store: new LocalDiskStore(outputsDirectory(config), config.PUBLIC_URL),
    async close() {
      await Promise.allSettled([generationQueue.close(), webhookQueue.close(), urls.close()]);
      redis.disconnect();
      bullRedis.disconnect();
    },
  };
}

/** Uses REDIS_URL when set; otherwise starts (or reuses) a private redis-server under DATA_DIR. */
export async function connectRedis(config: Config): Promise<RedisServerHandle> {
  if (config.REDIS_URL) return { address: config.REDIS_URL, owned: false, stop: async () => {} };
  return startRedisServer({ dir: path.join(config.DATA_DIR, 'redis') });
}

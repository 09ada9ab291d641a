import path from 'node:path';
import type { ConnectionOptions } from 'bullmq';
import { LRUCache } from 'lru-cache';
import { type AccountChanges, followAccountChanges, principalCacheMs, unfollowedAccountChanges } from './billing/account-changes.ts';
import { AccountRepository } from './billing/account-repository.ts';
import { AccountStatus } from './billing/account-status.ts';
import { ConcurrencySlots } from './billing/concurrency-slots.ts';
import type { Config } from './config.ts';
import { GenerationEndings } from './generations/generation-endings.ts';
import { GenerationLifecycle } from './generations/generation-lifecycle.ts';
import { GenerationRepository } from './generations/generation-repository.ts';
import { GenerationService } from './generations/generation-service.ts';
import { RouteCircuits } from './health/route-health.ts';
import { GenerationQueue, logQueueErrors, WebhookQueue } from './jobs/job-queues.ts';
import type { Logger } from './logging/logger.ts';
import { observeLifecycle } from './metrics/lifecycle-observer.ts';
import { Metrics } from './metrics/metrics.ts';
import { OutboundUrlPolicy } from './net/outbound-url-policy.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { GenerationEventHub } from './realtime/generation-events.ts';
import { createRedis, failFastOptions, type Redis } from './redis/redis-client.ts';
import { type RedisConnectivity, watchRedisConnectivity } from './redis/redis-connectivity.ts';
import { type RedisKeys, redisKeys } from './redis/redis-keys.ts';
import { type RedisServerHandle, type RedisServerSupervision, startRedisServer } from './redis/redis-server-process.ts';
import { withinTimeLimit } from './shared/time-limit.ts';
import { LocalDiskStore } from './storage/local-disk-store.ts';
import type { StorageFiles } from './storage/storage-files.ts';
import { replicateWebhookBody } from './surfaces/replicate/replicate-webhook-body.ts';
import { createRunwayResources } from './surfaces/runway/resources/create-runway-resources.ts';
import type { AccountResources } from './surfaces/runway/resources/runway-resources.ts';
import { RunwayAccountSettings } from './surfaces/runway/runway-account-settings.ts';
import { UploadStore } from './uploads/upload-store.ts';
import { WebhookDeliveryLog } from './webhooks/webhook-delivery-log.ts';
import { type WebhookBodies, webhookPayload } from './webhooks/webhook-payload.ts';
import { WebhookService } from './webhooks/webhook-service.ts';

/** Everything the API and the worker share, built once per process from config. */
export interface Gateway {
  config: Config;
  log: Logger;
  /** Fail-fast in a gateway that serves requests (see `GatewayOptions.failFast`). */
  redis: Redis;
  /** BullMQ workers' connection, which waits for Redis (they duplicate it for blocking reads). */
  bullRedis: Redis;
  connectivity: RedisConnectivity;
  metrics: Metrics;
  /** Where this process listens for changes to generations, made by any process (subscriptions, server-sent events). */
  events: GenerationEventHub;
  keys: RedisKeys;
  bullPrefix: string;
  accounts: AccountRepository;
  /** Changes to accounts' keys, limits or standing, announced by any process (open connections re-check their key). */
  accountChanges: Pick<AccountChanges, 'listen'>;
  accountStatus: AccountStatus;
  repository: GenerationRepository;
  lifecycle: GenerationLifecycle;
  circuits: RouteCircuits;
  registry: ProviderRegistry;
  slots: ConcurrencySlots;
  /** The one way a generation ends (the worker's completions and failures, a client's cancel): settle, free, wake, announce. */
  endings: GenerationEndings;
  service: GenerationService;
  generationQueue: GenerationQueue;
  webhookQueue: WebhookQueue;
  deliveries: WebhookDeliveryLog;
  webhooks: WebhookService;
  /** Each webhook format's body: genway's own, and those of the surfaces whose clients read another. */
  webhookBodies: WebhookBodies;
  urls: OutboundUrlPolicy;
  store: LocalDiskStore;
  /** Files clients uploaded for later requests (media inputs name them by upload reference). */
  uploads: UploadStore;
  /** Runway's avatars, documents and realtime sessions per account. */
  runwayResources: AccountResources;
  /** What each account chose for the Runway-compatible API (where its tasks go). */
  runwayAccounts: RunwayAccountSettings;
  close(): Promise<void>;
}

export const outputsDirectory = (config: Config) => path.join(config.DATA_DIR, 'outputs');

export interface GatewayOptions {
  /**
   * Requests get a 503 at once while Redis is unreachable, and their commands are never replayed later (true, for
   * the API); or commands wait for Redis to come back (false, for workers, whose jobs should simply pause).
   */
  failFast?: boolean;
  /** Shared by the API's and the worker's gateway when one process runs both. */
  metrics?: Metrics;
  /** Off for the second gateway of a process, so an outage is logged once. */
  reportConnectivity?: boolean;
  now?: () => number;
  /** How outputs and uploads are written to disk (tests put a full disk here). */
  files?: StorageFiles;
}

const queueStates = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/** How long a process reuses the address the API announced before reading it again. */
const announcedUrlTrustMs = 5000;

/**
 * Output links: PUBLIC_URL when set, else the address the API announced (for a worker started apart), else the default.
 * An announced address is reused for a few seconds, so storing an output does not cost a Redis round trip.
 */
function publicUrlOf(config: Config, readAnnounced: () => Promise<string | null>): () => Promise<string> {
  const announced = new LRUCache<'url', string>({ max: 1, ttl: announcedUrlTrustMs });
  return async () => {
    if (config.publicUrlIsSet) return config.PUBLIC_URL;
    const remembered = announced.get('url');
    if (remembered) return remembered;
    const url = await readAnnounced();
    if (url) announced.set('url', url);
    return url ?? config.PUBLIC_URL;
  };
}

export function createGateway(config: Config, log: Logger, redisAddress: string, options: GatewayOptions = {}): Gateway {
  const { failFast = true, now = Date.now, metrics = new Metrics(), reportConnectivity = true, files } = options;
  // Commands issued in the same tick share one socket write: under load that halves the API's syscalls.
  const failFastClient = failFastOptions(config.REDIS_COMMAND_TIMEOUT_MS);
  const redis = createRedis(redisAddress, { enableAutoPipelining: true, ...(failFast ? failFastClient : {}) });
  const bullRedis = createRedis(redisAddress);
  const queueRedis = failFast ? createRedis(redisAddress, failFastClient) : bullRedis;
  const connectivity = watchRedisConnectivity(redis, reportConnectivity ? log : log.child({}, { level: 'silent' }));
  for (const client of new Set([bullRedis, queueRedis])) client.on('error', () => {});
  const keys = redisKeys(config.REDIS_PREFIX);
  const { bullPrefix } = keys;
  const connection = queueRedis as unknown as ConnectionOptions;
  const repository = new GenerationRepository(redis, keys, now);
  // The API remembers keys for a few seconds (forgetting them when any process changes an account); workers need not.
  const accounts = new AccountRepository(redis, keys, now, { principalCacheMs: failFast ? principalCacheMs : 0 });
  const accountStatus = new AccountStatus(redis, keys, now);
  const accountChanges = failFast ? followAccountChanges(createRedis(redisAddress), keys, () => accounts.forgetPrincipals()) : unfollowedAccountChanges;
  const registry = new ProviderRegistry({ settings: config, creditsPerUsd: config.CREDITS_PER_USD, pollIntervalMs: config.UPSTREAM_POLL_INTERVAL_MS });
  const lifecycle = new GenerationLifecycle(repository, now, observeLifecycle(log, metrics, now));
  const events = new GenerationEventHub(() => createRedis(redisAddress), keys);
  const publicUrl = publicUrlOf(config, () => redis.get(keys.announcedPublicUrl()));
  const circuits = new RouteCircuits(redis, keys, { failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, cooldownMs: config.CIRCUIT_COOLDOWN_MS, errorRate: config.CIRCUIT_ERROR_RATE }, now);
  const generationQueue = new GenerationQueue(connection, bullPrefix, { attempts: config.UPSTREAM_RETRY_ATTEMPTS, baseDelayMs: config.UPSTREAM_RETRY_BASE_MS });
  const slots = new ConcurrencySlots(redis, keys, now);
  const deliveries = new WebhookDeliveryLog(redis, keys);
  const urls = new OutboundUrlPolicy({ allowPrivate: config.ALLOW_PRIVATE_URLS, trustedOrigins: config.TRUSTED_ORIGINS, connectTimeoutMs: config.WEBHOOK_CONNECT_TIMEOUT_MS });
  const uploads = new UploadStore(redis, keys, path.join(config.DATA_DIR, 'uploads'), publicUrl, undefined, now, files);
  const webhookQueue = new WebhookQueue(connection, bullPrefix, config.WEBHOOK_RETRY_SCHEDULE_MS);
  const endings = new GenerationEndings({ lifecycle, slots, queue: generationQueue, registry, webhooks: webhookQueue });
  const service = new GenerationService({ repository, lifecycle, endings, registry, queue: generationQueue, urls, uploads, now, log });
  for (const { queue } of [generationQueue, webhookQueue]) logQueueErrors(queue, log);
  metrics.readFrom({
    redisUp: connectivity.isUp,
    queueDepths: async () => {
      const counts = (queue: GenerationQueue['queue'] | WebhookQueue['queue']) => withinTimeLimit(queue.getJobCounts(...queueStates), config.REDIS_COMMAND_TIMEOUT_MS, 'queue depths');
      const perQueue = await Promise.all(
        [generationQueue.queue, webhookQueue.queue].map(async (queue) => Object.entries(await counts(queue)).map(([state, count]) => ({ queue: queue.name, state, count }))),
      );
      return perQueue.flat();
    },
  });
  return {
    config,
    log,
    redis,
    keys,
    bullPrefix,
    bullRedis,
    connectivity,
    metrics,
    events,
    accounts,
    accountChanges,
    accountStatus,
    repository,
    lifecycle,
    circuits,
    registry,
    slots,
    endings,
    service,
    generationQueue,
    webhookQueue,
    deliveries,
    webhooks: new WebhookService({ generations: service, deliveries, queue: webhookQueue }),
    webhookBodies: { genway: webhookPayload, replicate: replicateWebhookBody(publicUrl) },
    urls,
    store: new LocalDiskStore(outputsDirectory(config), publicUrl, files),
    uploads,
    runwayResources: createRunwayResources({ settings: config, redis, keys, accounts, usage: accountStatus, registry, now }),
    runwayAccounts: new RunwayAccountSettings(redis, keys),
    async close() {
      const redisUp = connectivity.isUp();
      connectivity.close();
      events.close();
      accountChanges.close();
      // Closing a queue talks to Redis; with Redis gone it would wait for nothing.
      await Promise.allSettled(redisUp ? [generationQueue.close(), webhookQueue.close(), urls.close()] : [urls.close()]);
      for (const client of new Set([redis, bullRedis, queueRedis])) client.disconnect();
    },
  };
}

/** Uses REDIS_URL when set; otherwise starts (or reuses) a private redis-server under DATA_DIR. */
export async function connectRedis(config: Config, supervise?: RedisServerSupervision): Promise<RedisServerHandle> {
  if (config.REDIS_URL) return { address: config.REDIS_URL, owned: false, stop: async () => {}, stopNow: () => {} };
  return startRedisServer({ dir: path.join(config.DATA_DIR, 'redis'), supervise });
}

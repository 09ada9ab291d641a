import { type ConnectionOptions, DelayedError, Worker } from 'bullmq';
import type { Config } from '../config.ts';
import type { Generation } from '../generations/generation.ts';
import { GenerationRunner, type GenerationRunnerDependencies } from '../generations/generation-runner.ts';
import { retryDelay } from '../generations/step-delays.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { createInputMediaReader } from '../net/input-media.ts';
import type { Redis } from '../redis/redis-client.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { downloadOutput } from '../storage/download-output.ts';
import { inQueuedTrace } from '../telemetry/trace-context.ts';
import type { UploadStore } from '../uploads/upload-store.ts';
import { mapMediaInputs, uploadIdOf, uploadLinkOf } from '../uploads/upload-uri.ts';
import { WebhookDestinationSlots } from '../webhooks/webhook-destination-slots.ts';
import { createDeliverWebhookProcessor, type DeliverWebhookDependencies } from './deliver-webhook.job.ts';
import { logQueueErrors } from './job-queues.ts';
import { queueNames, type RunGenerationJob } from './queues.ts';
import { createRunGenerationProcessor, type RunGenerationDependencies } from './run-generation.job.ts';

/** What the workers use, named as the gateway names it; each member's type is what the runner or a processor asks for. */
export interface WorkerDependencies {
  config: Pick<
    Config,
    | 'JOB_LOCK_MS'
    | 'JOB_STALLED_INTERVAL_MS'
    | 'WORKER_CONCURRENCY'
    | 'MAX_OUTPUT_BYTES'
    | 'UPSTREAM_RETRY_ATTEMPTS'
    | 'UPSTREAM_RETRY_BASE_MS'
    | 'WEBHOOK_CONCURRENCY_PER_DESTINATION'
    | 'WEBHOOK_TIMEOUT_MS'
    | 'WEBHOOK_FIRST_BYTE_TIMEOUT_MS'
    | 'WEBHOOK_RETRY_SCHEDULE_MS'
  >;
  log: Logger;
  /** BullMQ workers' connection (they duplicate it for blocking reads), and the prefix their queues live under. */
  bullRedis: Redis;
  bullPrefix: string;
  /** Where the webhook destinations' slots are counted. */
  redis: Redis;
  keys: RedisKeys;
  lifecycle: GenerationRunnerDependencies['lifecycle'];
  endings: GenerationRunnerDependencies['endings'];
  repository: GenerationRunnerDependencies['routeFailures'] & RunGenerationDependencies['generations'] & DeliverWebhookDependencies['generations'];
  circuits: GenerationRunnerDependencies['circuits'];
  registry: GenerationRunnerDependencies['registry'];
  slots: GenerationRunnerDependencies['slots'];
  generationQueue: GenerationRunnerDependencies['queue'];
  store: GenerationRunnerDependencies['store'];
  urls: Parameters<typeof createInputMediaReader>[0] & DeliverWebhookDependencies['urls'];
  uploads: Pick<UploadStore, 'read' | 'open' | 'linkFor'>;
  metrics: Pick<Metrics, 'timeUpstream' | 'webhookDeliveries'>;
  accounts: DeliverWebhookDependencies['accounts'];
  deliveries: DeliverWebhookDependencies['deliveries'];
  webhookQueue: DeliverWebhookDependencies['queue'];
  webhookBodies: DeliverWebhookDependencies['bodies'];
}

/** Largest input image or audio the worker reads to send inline (Gemini's limit for inline data is 20 MB). */
const inputMediaMaxBytes = 20 * 1024 * 1024;

/** How often a stalled job (its worker died) may be recovered before BullMQ gives up on it. */
const maxStalledRecoveries = 20;

/** The delay the far side asked for; upstream and webhook errors both carry it as `retryAfterMs`. */
const retryAfterOf = (error: Error | undefined) => (error as { retryAfterMs?: number } | undefined)?.retryAfterMs;

/** For steps the runner could not handle itself (their store unreachable): exponential backoff with jitter, or a Retry-After. */
const upstreamBackoff = (baseDelayMs: number) => (attemptsMade: number, _type?: string, error?: Error) => retryDelay(attemptsMade, baseDelayMs, retryAfterOf(error));

/** Standard Webhooks' schedule (the last delay repeats), or the receiver's Retry-After when it sent one. */
const webhookBackoff = (schedule: number[]) => (attemptsMade: number, _type?: string, error?: Error) => retryAfterOf(error) ?? schedule[Math.min(attemptsMade - 1, schedule.length - 1)] ?? 0;

/** A step that moved its job back to the delayed set (the next poll) ends by throwing BullMQ's DelayedError: not a failure. */
const isJobFailure = (error: unknown) => !(error instanceof DelayedError);

/** Starts the BullMQ workers for generations and webhooks over the gateway's modules. */
export function startWorkers(dependencies: WorkerDependencies, now: () => number = Date.now) {
  const { config, log } = dependencies;
  const connection = dependencies.bullRedis as unknown as ConnectionOptions;
  const common = {
    connection,
    prefix: dependencies.bullPrefix,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_STALLED_INTERVAL_MS,
    maxStalledCount: maxStalledRecoveries,
  };

  const runner = new GenerationRunner({
    lifecycle: dependencies.lifecycle,
    endings: dependencies.endings,
    routeFailures: dependencies.repository,
    circuits: dependencies.circuits,
    registry: dependencies.registry,
    slots: dependencies.slots,
    queue: dependencies.generationQueue,
    store: dependencies.store,
    downloadOutput: (url, headers, spillPath) => downloadOutput(url, { maxBytes: config.MAX_OUTPUT_BYTES, headers }, spillPath),
    readMedia: readUploadsFirst(dependencies, createInputMediaReader(dependencies.urls, inputMediaMaxBytes)),
    linkUploads: (input) => linkUploads(dependencies, input),
    retries: { attemptsPerRoute: config.UPSTREAM_RETRY_ATTEMPTS, baseDelayMs: config.UPSTREAM_RETRY_BASE_MS },
    now,
    log: log.child({ component: 'worker' }),
    timeUpstream: (labels, call) => dependencies.metrics.timeUpstream(labels, call),
  });
  const runGeneration = createRunGenerationProcessor({ generations: dependencies.repository, runner, now });
  const generationWorker = new Worker<RunGenerationJob>(
    queueNames.generations,
    (job, token) => inQueuedTrace(job.data.trace, 'generation step', { 'genway.generation_id': job.data.generationId }, () => runGeneration(job, token), isJobFailure),
    { ...common, concurrency: config.WORKER_CONCURRENCY, settings: { backoffStrategy: upstreamBackoff(config.UPSTREAM_RETRY_BASE_MS) } },
  );
  const webhookWorker = new Worker(
    queueNames.webhooks,
    createDeliverWebhookProcessor({
      generations: dependencies.repository,
      accounts: dependencies.accounts,
      deliveries: dependencies.deliveries,
      urls: dependencies.urls,
      destinations: new WebhookDestinationSlots(dependencies.redis, dependencies.keys, { limit: config.WEBHOOK_CONCURRENCY_PER_DESTINATION, attemptTimeoutMs: config.WEBHOOK_TIMEOUT_MS }, now),
      queue: dependencies.webhookQueue,
      bodies: dependencies.webhookBodies,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      firstByteTimeoutMs: config.WEBHOOK_FIRST_BYTE_TIMEOUT_MS,
      now,
      log: log.child({ component: 'webhooks' }),
      countDelivery: (outcome) => dependencies.metrics.webhookDeliveries.inc({ outcome }),
    }),
    { ...common, concurrency: config.WORKER_CONCURRENCY, settings: { backoffStrategy: webhookBackoff(config.WEBHOOK_RETRY_SCHEDULE_MS) } },
  );
  for (const worker of [generationWorker, webhookWorker]) logQueueErrors(worker, log);
  return {
    /** `force`: don't wait for running jobs (Redis is gone, so they could not finish anyway; they are recovered as stalled). */
    async close(force = false) {
      await Promise.all([generationWorker.close(force), webhookWorker.close(force)]);
    },
  };
}

/**
 * Inputs that name an upload (whose owner `generate` checked), or carry a valid link to one, are read from the upload
 * store; the rest as data URIs or URLs. A link whose token does not match is just a URL like any other.
 */
function readUploadsFirst({ uploads }: Pick<WorkerDependencies, 'uploads'>, readInput: ReturnType<typeof createInputMediaReader>): ReturnType<typeof createInputMediaReader> {
  return async (reference, field) => {
    const uploadId = uploadIdOf(reference);
    if (uploadId) return uploads.read(uploadId);
    const link = uploadLinkOf(reference);
    if (link && (await uploads.open(link.id, link.linkToken))) return uploads.read(link.id);
    return readInput(reference, field);
  };
}

function linkUploads({ uploads }: Pick<WorkerDependencies, 'uploads'>, input: Generation['input']): Promise<Generation['input']> {
  return mapMediaInputs(input, async (value) => {
    const uploadId = uploadIdOf(value);
    return uploadId ? uploads.linkFor(uploadId) : value;
  });
}

import { type ConnectionOptions, DelayedError, Worker } from 'bullmq';
import type { Gateway } from '../gateway.ts';
import type { Generation } from '../generations/generation.ts';
import { GenerationRunner } from '../generations/generation-runner.ts';
import { retryDelay } from '../generations/step-delays.ts';
import { createInputMediaReader } from '../net/input-media.ts';
import { downloadOutput } from '../storage/download-output.ts';
import { inQueuedTrace } from '../telemetry/trace-context.ts';
import { mapMediaInputs, uploadIdOf, uploadLinkOf } from '../uploads/upload-uri.ts';
import { WebhookDestinationSlots } from '../webhooks/webhook-destination-slots.ts';
import { createDeliverWebhookProcessor } from './deliver-webhook.job.ts';
import { logQueueErrors } from './job-queues.ts';
import { queueNames, type RunGenerationJob } from './queues.ts';
import { createRunGenerationProcessor } from './run-generation.job.ts';

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
export function startWorkers(gateway: Gateway, now: () => number = Date.now) {
  const { config, log } = gateway;
  const connection = gateway.bullRedis as unknown as ConnectionOptions;
  const common = {
    connection,
    prefix: gateway.bullPrefix,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_STALLED_INTERVAL_MS,
    maxStalledCount: maxStalledRecoveries,
  };

  const runner = new GenerationRunner({
    lifecycle: gateway.lifecycle,
    endings: gateway.endings,
    routeFailures: gateway.repository,
    circuits: gateway.circuits,
    registry: gateway.registry,
    slots: gateway.slots,
    queue: gateway.generationQueue,
    store: gateway.store,
    downloadOutput: (url, headers, spillPath) => downloadOutput(url, { maxBytes: config.MAX_OUTPUT_BYTES, headers }, spillPath),
    readMedia: readUploadsFirst(gateway, createInputMediaReader(gateway.urls, inputMediaMaxBytes)),
    linkUploads: (input) => linkUploads(gateway, input),
    retries: { attemptsPerRoute: config.UPSTREAM_RETRY_ATTEMPTS, baseDelayMs: config.UPSTREAM_RETRY_BASE_MS },
    now,
    log: log.child({ component: 'worker' }),
    timeUpstream: (labels, call) => gateway.metrics.timeUpstream(labels, call),
  });
  const runGeneration = createRunGenerationProcessor({ generations: gateway.repository, runner, now });
  const generationWorker = new Worker<RunGenerationJob>(
    queueNames.generations,
    (job, token) => inQueuedTrace(job.data.trace, 'generation step', { 'genway.generation_id': job.data.generationId }, () => runGeneration(job, token), isJobFailure),
    { ...common, concurrency: config.WORKER_CONCURRENCY, settings: { backoffStrategy: upstreamBackoff(config.UPSTREAM_RETRY_BASE_MS) } },
  );
  const webhookWorker = new Worker(
    queueNames.webhooks,
    createDeliverWebhookProcessor({
      generations: gateway.repository,
      accounts: gateway.accounts,
      deliveries: gateway.deliveries,
      urls: gateway.urls,
      destinations: new WebhookDestinationSlots(gateway.redis, gateway.keys, { limit: config.WEBHOOK_CONCURRENCY_PER_DESTINATION, attemptTimeoutMs: config.WEBHOOK_TIMEOUT_MS }, now),
      queue: gateway.webhookQueue,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      firstByteTimeoutMs: config.WEBHOOK_FIRST_BYTE_TIMEOUT_MS,
      now,
      log: log.child({ component: 'webhooks' }),
      countDelivery: (outcome) => gateway.metrics.webhookDeliveries.inc({ outcome }),
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
function readUploadsFirst(gateway: Gateway, readInput: ReturnType<typeof createInputMediaReader>): ReturnType<typeof createInputMediaReader> {
  return async (reference, field) => {
    const uploadId = uploadIdOf(reference);
    if (uploadId) return gateway.uploads.read(uploadId);
    const link = uploadLinkOf(reference);
    if (link && (await gateway.uploads.open(link.id, link.linkToken))) return gateway.uploads.read(link.id);
    return readInput(reference, field);
  };
}

function linkUploads(gateway: Gateway, input: Generation['input']): Promise<Generation['input']> {
  return mapMediaInputs(input, async (value) => {
    const uploadId = uploadIdOf(value);
    return uploadId ? gateway.uploads.linkFor(uploadId) : value;
  });
}

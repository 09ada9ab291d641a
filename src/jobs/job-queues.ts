import { type ConnectionOptions, Queue } from 'bullmq';
import type { Logger } from '../logging/logger.ts';
import { isRedisConnectionError } from '../redis/redis-client.ts';
import { traceCarrier } from '../telemetry/trace-context.ts';
import { type DeliverWebhookJob, keepFinishedJobs, queueNames, type RunGenerationJob, type WebhookEvent, webhookJobId } from './queues.ts';

/**
 * Logs a BullMQ queue's or worker's errors, except Redis being unreachable: the gateway's connectivity line says that
 * once, where BullMQ would repeat it (with a stack trace, on stderr when nobody listens) on every reconnect.
 */
export function logQueueErrors(emitter: { name: string; on(event: 'error', listener: (error: Error) => void): unknown }, log: Logger) {
  emitter.on('error', (error) => {
    if (!isRedisConnectionError(error)) log.error({ err: error, queue: emitter.name }, 'queue error');
  });
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export class GenerationQueue {
  readonly queue: Queue<RunGenerationJob>;

  constructor(
    connection: ConnectionOptions,
    prefix: string,
    private readonly retry: RetryPolicy,
  ) {
    this.queue = new Queue<RunGenerationJob>(queueNames.generations, { connection, prefix });
  }

  /** The job id is the generation id, so adding it twice is a no-op. */
  async enqueue(generationId: string): Promise<void> {
    // The delays come from the worker's backoff strategy (exponential with jitter, or the upstream's Retry-After).
    const retries = { attempts: this.retry.attempts, backoff: { type: 'upstream', delay: this.retry.baseDelayMs } };
    await this.queue.add('run', { generationId, trace: traceCarrier() }, { jobId: generationId, ...retries, removeOnComplete: keepFinishedJobs, removeOnFail: keepFinishedJobs });
  }

  /** Runs a waiting (delayed) poll now, e.g. so a cancel reaches the upstream without waiting for the next poll. */
  async wake(generationId: string): Promise<void> {
    const job = await this.queue.getJob(generationId);
    if (job && (await job.isDelayed())) await job.promote().catch(() => {});
  }

  close() {
    return this.queue.close();
  }
}

export class WebhookQueue {
  readonly queue: Queue<DeliverWebhookJob>;

  /** `retrySchedule`: the delays between attempts after the first; one more attempt than delays. */
  constructor(
    connection: ConnectionOptions,
    prefix: string,
    private readonly retrySchedule: number[],
  ) {
    this.queue = new Queue<DeliverWebhookJob>(queueNames.webhooks, { connection, prefix });
  }

  /**
   * One delivery per generation and event, however often the job that ends a generation runs.
   * A redelivery asked for by the client is a new job carrying the same message id, so receivers can deduplicate.
   */
  async enqueue(generationId: string, event: WebhookEvent, options: { redelivery?: boolean } = {}): Promise<void> {
    const messageId = webhookJobId(generationId, event);
    const jobId = options.redelivery ? `${messageId}.redelivery-${Date.now()}` : messageId;
    await this.queue.add(
      'deliver',
      { generationId, event, messageId },
      { jobId, attempts: this.retrySchedule.length + 1, backoff: { type: 'schedule' }, removeOnComplete: keepFinishedJobs, removeOnFail: keepFinishedJobs },
    );
  }

  /**
   * Runs a delivery that waits (delayed) for a slot of its receiver now. False when no such delivery waits any more
   * (it was removed or has finished); one that is running or already queued to run is left as it is.
   */
  async wake(jobId: string): Promise<boolean> {
    const state = await this.queue.getJobState(jobId);
    if (state === 'unknown' || state === 'completed' || state === 'failed') return false;
    if (state === 'delayed') await (await this.queue.getJob(jobId))?.promote().catch(() => {});
    return true;
  }

  close() {
    return this.queue.close();
  }
}

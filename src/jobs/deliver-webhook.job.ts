import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { request } from 'undici';
import type { AccountRepository } from '../billing/account-repository.ts';
import type { Generation } from '../generations/generation.ts';
import type { GenerationRepository } from '../generations/generation-repository.ts';
import { nextPollDelay } from '../generations/step-delays.ts';
import type { Logger } from '../logging/logger.ts';
import { BlockedAddressError, type OutboundUrlPolicy } from '../net/outbound-url-policy.ts';
import { parseRetryAfterMs } from '../net/retry-after.ts';
import type { DeliveryOutcome, WebhookDeliveryLog } from '../webhooks/webhook-delivery-log.ts';
import type { WebhookDestinationSlots } from '../webhooks/webhook-destination-slots.ts';
import type { WebhookBodies } from '../webhooks/webhook-payload.ts';
import { type SigningSecrets, signatureHeaders } from '../webhooks/webhook-signature.ts';
import type { WebhookQueue } from './job-queues.ts';
import type { DeliverWebhookJob } from './queues.ts';

export interface DeliverWebhookDependencies {
  generations: Pick<GenerationRepository, 'get'>;
  accounts: Pick<AccountRepository, 'webhookSecrets'>;
  deliveries: WebhookDeliveryLog;
  urls: Pick<OutboundUrlPolicy, 'check' | 'dispatcherFor'>;
  /** Each receiver origin's share of the delivery slots, so one slow receiver cannot hold them all. */
  destinations: Pick<WebhookDestinationSlots, 'acquire' | 'release' | 'forget' | 'leaseMs'>;
  /** The body of each webhook format (genway's own, and the surfaces' that send another). */
  bodies: WebhookBodies;
  /** Wakes a delivery that waits for a slot of its receiver. */
  queue: Pick<WebhookQueue, 'wake'>;
  /** The bound on a whole attempt, response body included (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long a receiver may take to answer with its response headers (WEBHOOK_FIRST_BYTE_TIMEOUT_MS). */
  firstByteTimeoutMs: number;
  now(): number;
  log: Logger;
  /** Counts every recorded attempt by its outcome (metrics). */
  countDelivery?(outcome: DeliveryOutcome): void;
}

/** Thrown for an attempt worth repeating (429, 5xx, timeouts); BullMQ waits per the schedule or Retry-After. */
export class RetryableDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What one HTTP attempt came to: the receiver's status, or why there was none. */
interface AttemptResult {
  status: number | null;
  retryAfterMs?: number;
  failure: string | null;
  /** A failure that no retry can fix (a refused or blocked address). */
  permanent: boolean;
  latencyMs: number;
}

const retryableStatus = (status: number) => status === 429 || status >= 500;

/** A receiver may ask us to wait, but no longer than the schedule's longest step (10 hours). */
const maxRetryAfterMs = 10 * 60 * 60 * 1000;

/** How a delivery waiting for its receiver's slot checks again (a freed slot wakes it at once); at most one lease apart. */
const slotRecheck = { initialDelayMs: 0, intervalMs: 500 };

/** One instance for every wait: BullMQ only tests its type, and a new Error each time would capture a stack each time. */
const movedToDelayed = new DelayedError();

function failureOf(error: unknown): Pick<AttemptResult, 'failure' | 'permanent'> {
  const blocked = error instanceof BlockedAddressError || (error as { cause?: unknown }).cause instanceof BlockedAddressError;
  return {
    permanent: blocked || (error as { code?: string }).code === 'INVALID_INPUT',
    failure: blocked ? `blocked: ${((error as { cause?: Error }).cause ?? (error as Error)).message}` : (error as Error).message || String(error),
  };
}

/**
 * Delivers one webhook message: signs the exact bytes it sends, never follows redirects, and records
 * every attempt. 2xx is delivered; 410 retires the URL for the account; 429, 5xx and network errors
 * are retried on the schedule; anything else fails for good. An attempt waits, delayed and without spending
 * an attempt, while its receiver's origin has all of its share of the delivery slots.
 */
export function createDeliverWebhookProcessor(dependencies: DeliverWebhookDependencies) {
  const { deliveries, destinations, now } = dependencies;

  /** Returns holding a slot of the receiver's origin, or moves the job to the delayed set to wait for one. */
  async function takeSlot(job: Job<DeliverWebhookJob>, token: string | undefined, origin: string): Promise<void> {
    const slot = await destinations.acquire(origin, job.id!);
    if (slot.acquired) return;
    await job.moveToDelayed(now() + nextPollDelay({ ...slotRecheck, maxIntervalMs: destinations.leaseMs }, slot.waitedMs), token);
    throw movedToDelayed;
  }

  /** Frees the slot and wakes the deliveries next in line. Only logged when it fails: the slot's lease frees it anyway. */
  async function releaseSlot(origin: string, jobId: string): Promise<void> {
    try {
      for (const waiting of await destinations.release(origin, jobId)) {
        if (!(await dependencies.queue.wake(waiting))) await destinations.forget(origin, waiting);
      }
    } catch (error) {
      dependencies.log.warn({ err: error }, 'could not free a webhook receiver slot; its lease will');
    }
  }

  async function post(url: URL, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: dependencies.urls.dispatcherFor(url),
        headersTimeout: dependencies.firstByteTimeoutMs,
        signal: AbortSignal.timeout(dependencies.timeoutMs),
      });
      await response.body.dump();
      const asked = parseRetryAfterMs(response.headers['retry-after']);
      return { status: response.statusCode, retryAfterMs: asked === undefined ? undefined : Math.min(asked, maxRetryAfterMs), failure: null, permanent: false, latencyMs: latencyMs() };
    } catch (error) {
      return { status: null, ...failureOf(error), latencyMs: latencyMs() };
    }
  }

  /** Checks the URL, waits for a slot of its origin, then signs and sends. Redis errors propagate: BullMQ retries the job. */
  async function send(job: Job<DeliverWebhookJob>, token: string | undefined, generation: Generation, webhookUrl: string, secrets: SigningSecrets): Promise<AttemptResult> {
    let url: URL;
    try {
      url = dependencies.urls.check(webhookUrl, 'webhookUrl');
    } catch (error) {
      return { status: null, ...failureOf(error), latencyMs: 0 };
    }
    await takeSlot(job, token, url.origin);
    const body = JSON.stringify(await dependencies.bodies[generation.webhookFormat](generation, job.data.event));
    const headers = { 'content-type': 'application/json', 'user-agent': 'genway-webhooks/1', ...(await signatureHeaders(secrets, job.data.messageId, new Date(now()), body)) };
    try {
      return await post(url, headers, body);
    } finally {
      await releaseSlot(url.origin, job.id!);
    }
  }

  return async function deliverWebhook(job: Job<DeliverWebhookJob>, token?: string) {
    const generation = await dependencies.generations.get(job.data.generationId);
    const secrets = generation && (await dependencies.accounts.webhookSecrets(generation.accountId));
    if (!generation?.webhookUrl || !secrets) return;
    const attempt = { id: job.data.messageId, event: job.data.event, attempt: job.attemptsMade + 1, url: generation.webhookUrl, at: now() };
    const record = (outcome: DeliveryOutcome, status: number | null, latencyMs: number, error: string | null) => {
      dependencies.countDelivery?.(outcome);
      return deliveries.record(generation.id, { ...attempt, outcome, status, latencyMs, error });
    };

    if (await deliveries.isDisabled(generation.accountId, generation.webhookUrl)) {
      return record('SKIPPED', null, 0, 'this URL answered 410 Gone before; redeliver to enable it again');
    }
    const result = await send(job, token, generation, generation.webhookUrl, secrets);
    const { status, latencyMs } = result;
    if (status !== null && status >= 200 && status < 300) return record('DELIVERED', status, latencyMs, null);
    if (status === 410) {
      await dependencies.deliveries.disable(generation.accountId, generation.webhookUrl);
      return record('DISABLED', status, latencyMs, 'receiver answered 410 Gone: no more deliveries to this URL');
    }
    const retryable = !result.permanent && (status === null || retryableStatus(status));
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const error = result.failure ?? (status !== null && status >= 300 && status < 400 ? `receiver answered ${status}; redirects are not followed` : `receiver answered ${status}`);
    await record(retryable && !lastAttempt ? 'RETRYING' : 'FAILED', status, latencyMs, error);
    dependencies.log.warn({ generationId: generation.id, attempt: attempt.attempt, status, retryable }, 'webhook attempt failed');
    if (retryable) throw new RetryableDeliveryError(error, result.retryAfterMs);
    throw new UnrecoverableError(error);
  };
}

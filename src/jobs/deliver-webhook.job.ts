import { type Job, UnrecoverableError } from 'bullmq';
import { request } from 'undici';
import type { AccountRepository } from '../billing/account-repository.ts';
import type { GenerationRepository } from '../generations/generation-repository.ts';
import type { Logger } from '../logging/logger.ts';
import { BlockedAddressError, type OutboundUrlPolicy } from '../net/outbound-url-policy.ts';
import { parseRetryAfterMs } from '../net/retry-after.ts';
import type { DeliveryOutcome, WebhookDeliveryLog } from '../webhooks/webhook-delivery-log.ts';
import { webhookPayload } from '../webhooks/webhook-payload.ts';
import { signatureHeaders } from '../webhooks/webhook-signature.ts';
import type { DeliverWebhookJob } from './queues.ts';

export interface DeliverWebhookDependencies {
  generations: Pick<GenerationRepository, 'get'>;
  accounts: Pick<AccountRepository, 'webhookSecrets'>;
  deliveries: WebhookDeliveryLog;
  urls: Pick<OutboundUrlPolicy, 'check' | 'dispatcherFor'>;
  timeoutMs: number;
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

const retryableStatus = (status: number) => status === 429 || status >= 500;

/** A receiver may ask us to wait, but no longer than the schedule's longest step (10 hours). */
const maxRetryAfterMs = 10 * 60 * 60 * 1000;

/**
 * Delivers one webhook message: signs the exact bytes it sends, never follows redirects, and records
 * every attempt. 2xx is delivered; 410 retires the URL for the account; 429, 5xx and network errors
 * are retried on the schedule; anything else fails for good.
 */
export function createDeliverWebhookProcessor(dependencies: DeliverWebhookDependencies) {
  const { deliveries, now } = dependencies;

  return async function deliverWebhook(job: Job<DeliverWebhookJob>) {
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
    const body = JSON.stringify(webhookPayload(generation, job.data.event));
    const headers = { 'content-type': 'application/json', 'user-agent': 'genway-webhooks/1', ...(await signatureHeaders(secrets, job.data.messageId, new Date(now()), body)) };
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

    let status: number | null = null;
    let retryAfter: number | undefined;
    let failure: string | null = null;
    let permanent = false;
    const started = performance.now();
    try {
      const url = dependencies.urls.check(generation.webhookUrl, 'webhookUrl');
      const response = await request(url, { method: 'POST', headers, body, dispatcher: dependencies.urls.dispatcherFor(url), signal: AbortSignal.timeout(dependencies.timeoutMs) });
      await response.body.dump();
      status = response.statusCode;
      const asked = parseRetryAfterMs(response.headers['retry-after']);
      retryAfter = asked === undefined ? undefined : Math.min(asked, maxRetryAfterMs);
    } catch (error) {
      const blocked = error instanceof BlockedAddressError || (error as { cause?: unknown }).cause instanceof BlockedAddressError;
      permanent = blocked || (error as { code?: string }).code === 'INVALID_INPUT';
      failure = blocked ? `blocked: ${((error as { cause?: Error }).cause ?? (error as Error)).message}` : (error as Error).message || String(error);
    }
    const latencyMs = Math.round(performance.now() - started);

    if (status !== null && status >= 200 && status < 300) return record('DELIVERED', status, latencyMs, null);
    if (status === 410) {
      await dependencies.deliveries.disable(generation.accountId, generation.webhookUrl);
      return record('DISABLED', status, latencyMs, 'receiver answered 410 Gone: no more deliveries to this URL');
    }
    const retryable = !permanent && (status === null || retryableStatus(status));
    const error = failure ?? (status !== null && status >= 300 && status < 400 ? `receiver answered ${status}; redirects are not followed` : `receiver answered ${status}`);
    await record(retryable && !lastAttempt ? 'RETRYING' : 'FAILED', status, latencyMs, error);
    dependencies.log.warn({ generationId: generation.id, attempt: attempt.attempt, status, retryable }, 'webhook attempt failed');
    if (retryable) throw new RetryableDeliveryError(error, retryAfter);
    throw new UnrecoverableError(error);
  };
}

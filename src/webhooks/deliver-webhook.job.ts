import type { Job } from 'bullmq';
import { request } from 'undici';
import type { GenerationRepository } from '../generations/generation-repository.ts';
import type { DeliverWebhookJob } from '../jobs/queues.ts';
import type { Logger } from '../logging/logger.ts';
import { webhookPayload } from './webhook-payload.ts';

export interface DeliverWebhookDependencies {
  generations: Pick<GenerationRepository, 'get'>;
  timeoutMs: number;
  log: Logger;
}

export class WebhookDeliveryError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

/** POSTs the completion payload once; a non-2xx answer throws so BullMQ retries with backoff. */
export function createDeliverWebhookProcessor(dependencies: DeliverWebhookDependencies) {
  return async (job: Job<DeliverWebhookJob>) => {
    const generation = await dependencies.generations.get(job.data.generationId);
    if (!generation?.webhookUrl) return;
    const body = JSON.stringify(webhookPayload(generation, job.data.event));
    const response = await request(generation.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'genway-webhooks/1', 'webhook-id': job.id ?? '' },
      body,
      headersTimeout: dependencies.timeoutMs,
      bodyTimeout: dependencies.timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new WebhookDeliveryError(`receiver answered ${response.statusCode}`, response.statusCode);
    }
    dependencies.log.info({ generationId: generation.id, event: job.data.event, status: response.statusCode }, 'webhook delivered');
  };
}

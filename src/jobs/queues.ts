import type { KeepJobs } from 'bullmq';
import type { WebhookEvent } from '../webhooks/webhook-payload.ts';

export type { WebhookEvent };

/** Queue names and the payload of each job kind, in one place. */
export const queueNames = {
  generations: 'generations',
  webhooks: 'webhooks',
} as const;

export interface RunGenerationJob {
  generationId: string;
  /** The trace context of the request that queued it (W3C headers; empty while tracing is off). */
  trace?: Record<string, string>;
}

export interface DeliverWebhookJob {
  generationId: string;
  event: WebhookEvent;
  /** The Standard Webhooks `webhook-id`: the same for every attempt and redelivery of this message. */
  messageId: string;
}

/** Finished jobs are kept a day so their ids keep deduplicating re-adds from jobs that run twice. */
export const keepFinishedJobs: KeepJobs = { age: 24 * 60 * 60, count: 100_000 };

/** Job ids are stable so the same generation or delivery is never queued twice. */
export const webhookJobId = (generationId: string, event: WebhookEvent) => `${generationId}.${event}`;

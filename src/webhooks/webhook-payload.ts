import type { Generation, WebhookFormat } from '../generations/generation.ts';
import type { WebhookEvent } from '../generations/generation-endings.ts';
import { generationView } from '../generations/generation-view.ts';

/** A generation's end decides its event (generations/generation-endings.ts queues it); named here for the webhook modules. */
export { eventForStatus, type WebhookEvent } from '../generations/generation-endings.ts';

/**
 * The generation's public view (every surface's), with the seed's spellings receivers rely on: a lower-case status,
 * the provider also as `service`, and the short metadata and error of its first receivers.
 */
export function webhookPayload(generation: Generation, event: WebhookEvent) {
  const view = generationView(generation);
  return {
    event,
    ...view,
    status: view.status.toLowerCase(),
    service: view.provider,
    metadata: view.metadata ? { duration: view.metadata.duration ?? null, width: view.metadata.width ?? null, height: view.metadata.height ?? null, format: view.metadata.format } : null,
    error: view.error ? { code: view.error.code, message: view.error.message } : null,
  };
}

/** A webhook's body in one format, for the generation as it is when the delivery is made. */
export type WebhookBody = (generation: Generation, event: WebhookEvent) => unknown;

/**
 * Every format's body; a surface renders its own, so the composition root fills the table in and the deliver job,
 * below the surfaces, is handed it.
 */
export type WebhookBodies = Record<WebhookFormat, WebhookBody>;

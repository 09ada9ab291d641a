import type { Generation } from '../generations/generation.ts';
import type { WebhookEvent } from '../generations/generation-endings.ts';

/** A generation's end decides its event (generations/generation-endings.ts queues it); named here for the webhook modules. */
export { eventForStatus, type WebhookEvent } from '../generations/generation-endings.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The seed's webhook body (id status url service createdAt completedAt metadata), plus the fields receivers need. */
export function webhookPayload(generation: Generation, event: WebhookEvent) {
  return {
    event,
    id: generation.id,
    status: generation.status.toLowerCase(),
    type: generation.type,
    provider: generation.provider,
    service: generation.provider,
    url: generation.outputs[0] ?? null,
    outputs: generation.outputs,
    creditCost: generation.creditCost,
    createdAt: iso(generation.createdAt),
    completedAt: iso(generation.completedAt),
    metadata: generation.metadata
      ? { duration: generation.metadata.duration ?? null, width: generation.metadata.width ?? null, height: generation.metadata.height ?? null, format: generation.metadata.format }
      : null,
    error: generation.error ? { code: generation.error.code, message: generation.error.message } : null,
  };
}

import type { WebhookBody } from '../../webhooks/webhook-payload.ts';
import { predictionView } from './replicate-prediction-mapping.ts';
import { replicatePrefix } from './replicate-routes.ts';

/**
 * A Replicate webhook's body: the prediction object as `GET /predictions/{id}` shows it then, whatever the event.
 * `publicUrl` is the gateway's own address, so its `urls` point back at this API.
 */
export function replicateWebhookBody(publicUrl: () => Promise<string>): WebhookBody {
  return async (generation) => predictionView(generation, `${await publicUrl()}${replicatePrefix}`);
}

import { defineRoute, type Host } from '../spec.ts';
import { createReplicateClient } from './replicate-client.ts';
import { replicateModels } from './replicate-models.ts';
import { replicateSettings } from './replicate-settings.ts';

const replicatePolling = { initialDelayMs: 2000, intervalMs: 2000, maxIntervalMs: 15_000 };

/** Replicate hosts these providers' models; each is a route with id `replicate`, after fal's. */
export const replicateHost: Host = {
  id: 'replicate',
  hostedRoutes: Object.fromEntries(
    Object.entries(replicateModels).map(([providerId, model]) => [
      providerId,
      [defineRoute({ id: 'replicate', settings: replicateSettings, polling: replicatePolling, connect: (settings) => createReplicateClient(settings, model) })],
    ]),
  ),
};

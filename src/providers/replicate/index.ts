import { defineRoute, type Host } from '../spec.ts';
import { createReplicateClient, type ReplicateModel } from './replicate-client.ts';
import { replicateModels } from './replicate-models.ts';
import { replicateSettings } from './replicate-settings.ts';

const replicatePolling = { initialDelayMs: 2000, intervalMs: 2000, maxIntervalMs: 15_000 };

/** The route with id `replicate` for one hosted provider, typed by its options. */
const replicateRoute = <Options>(model: ReplicateModel<Options>) => [
  defineRoute({ id: 'replicate', settings: replicateSettings, polling: replicatePolling, connect: (settings) => createReplicateClient(settings, model) }),
];

/** Replicate hosts these providers' models, each after fal's. */
export const replicateHost: Host = {
  id: 'replicate',
  hostedRoutes: {
    seedance: replicateRoute(replicateModels.seedance),
    seedream: replicateRoute(replicateModels.seedream),
    omnihuman: replicateRoute(replicateModels.omnihuman),
    'motion-transfer': replicateRoute(replicateModels['motion-transfer']),
    kling: replicateRoute(replicateModels.kling),
    minimax: replicateRoute(replicateModels.minimax),
    luma: replicateRoute(replicateModels.luma),
    'flux-dev': replicateRoute(replicateModels['flux-dev']),
    'flux-pro': replicateRoute(replicateModels['flux-pro']),
    'flux-ultra': replicateRoute(replicateModels['flux-ultra']),
    'flux-kontext': replicateRoute(replicateModels['flux-kontext']),
    veo: replicateRoute(replicateModels.veo),
  },
};

import { defineRoute, type GenerationRequest, type Host, type Quote } from '../spec.ts';
import { createFalClient, type FalModel } from './fal-client.ts';
import { falModels } from './fal-models.ts';
import { quoteKlingOnFal } from './fal-pricing.ts';
import { falSettings } from './fal-settings.ts';

/** fal's queue polls fast for images and backs off for video; its `status_url` is cheap to ask. */
const falPolling = { initialDelayMs: 2000, intervalMs: 2000, maxIntervalMs: 15_000 };

/** The route with id `fal` for one hosted provider, typed by its options; `quote` when fal's price differs from the vendor's. */
const falRoute = <Options>(model: FalModel<Options>, quote?: (request: GenerationRequest<Options>) => Quote) => [
  defineRoute({ id: 'fal', settings: falSettings, polling: falPolling, quote, connect: (settings) => createFalClient(settings, model) }),
];

/** fal hosts these providers' models, each after the model's own vendor API. */
export const falHost: Host = {
  id: 'fal',
  hostedRoutes: {
    seedance: falRoute(falModels.seedance),
    seedream: falRoute(falModels.seedream),
    omnihuman: falRoute(falModels.omnihuman),
    'motion-transfer': falRoute(falModels['motion-transfer']),
    kling: falRoute(falModels.kling, quoteKlingOnFal),
    minimax: falRoute(falModels.minimax),
    luma: falRoute(falModels.luma),
    'flux-dev': falRoute(falModels['flux-dev']),
    'flux-pro': falRoute(falModels['flux-pro']),
    'flux-ultra': falRoute(falModels['flux-ultra']),
    'flux-kontext': falRoute(falModels['flux-kontext']),
    veo: falRoute(falModels.veo),
  },
};

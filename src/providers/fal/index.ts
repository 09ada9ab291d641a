import { defineRoute, type Host } from '../spec.ts';
import { createFalClient } from './fal-client.ts';
import { falModels } from './fal-models.ts';
import { falQuotes } from './fal-pricing.ts';
import { falSettings } from './fal-settings.ts';

/** fal's queue polls fast for images and backs off for video; its `status_url` is cheap to ask. */
const falPolling = { initialDelayMs: 2000, intervalMs: 2000, maxIntervalMs: 15_000 };

/** fal hosts these providers' models; each is a route with id `fal`, after the model's own vendor API. */
export const falHost: Host = {
  id: 'fal',
  hostedRoutes: Object.fromEntries(
    Object.entries(falModels).map(([providerId, model]) => [
      providerId,
      [defineRoute({ id: 'fal', settings: falSettings, polling: falPolling, quote: falQuotes[providerId], connect: (settings) => createFalClient(settings, model) })],
    ]),
  ),
};

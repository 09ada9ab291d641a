import { baseUrlSetting, concurrencySetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const runwaySettings = defineSettings({
  apiKey: credentialSetting('RUNWAY_API_KEY', "Runway API key (live keys run Runway's models on it)"),
  baseUrl: baseUrlSetting('RUNWAY_BASE_URL', 'https://api.dev.runwayml.com'),
  // Runway's tiers allow 1 to 20 tasks at once per model; the tier is the account's, so there is no default.
  maxConcurrency: concurrencySetting('RUNWAY_MAX_CONCURRENCY'),
});

/** CometAPI resells Runway's API unchanged under its own key and origin (with a /runwayml prefix). */
export const cometapiSettings = defineSettings({
  apiKey: credentialSetting('COMETAPI_API_KEY', "CometAPI key (Runway's models through CometAPI)"),
  baseUrl: baseUrlSetting('COMETAPI_BASE_URL', 'https://api.cometapi.com/runwayml'),
});

import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const runwaySettings = defineSettings({
  apiKey: credentialSetting('RUNWAY_API_KEY', "Runway API key (live keys run Runway's models on it)"),
  baseUrl: baseUrlSetting('RUNWAY_BASE_URL', 'https://api.dev.runwayml.com'),
});

/** CometAPI resells Runway's API unchanged under its own key and origin (with a /runwayml prefix). */
export const cometapiSettings = defineSettings({
  apiKey: credentialSetting('COMETAPI_API_KEY', "CometAPI key (Runway's models through CometAPI)"),
  baseUrl: baseUrlSetting('COMETAPI_BASE_URL', 'https://api.cometapi.com/runwayml'),
});

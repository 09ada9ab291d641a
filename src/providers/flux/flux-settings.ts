import { baseUrlSetting, concurrencySetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const bflSettings = defineSettings({
  apiKey: credentialSetting('BFL_API_KEY', 'Black Forest Labs API key (all FLUX models)'),
  baseUrl: baseUrlSetting('BFL_BASE_URL', 'https://api.bfl.ai'),
  // Black Forest Labs: at most 24 active (submitted, unfinished) tasks per account.
  maxConcurrency: concurrencySetting('BFL_MAX_ACTIVE', 24),
});

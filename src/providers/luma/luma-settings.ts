import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const lumaSettings = defineSettings({
  apiKey: credentialSetting('LUMA_API_KEY', 'Luma Dream Machine API key'),
  baseUrl: baseUrlSetting('LUMA_BASE_URL', 'https://api.lumalabs.ai'),
});

import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const heygenSettings = defineSettings({
  apiKey: credentialSetting('HEYGEN_API_KEY', 'HeyGen API key (pay-as-you-go API wallet)'),
  baseUrl: baseUrlSetting('HEYGEN_BASE_URL', 'https://api.heygen.com'),
});

import { baseUrlSetting, concurrencySetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const klingSettings = defineSettings({
  accessKey: credentialSetting('KLING_ACCESS_KEY', 'Kling access key (the JWT issuer)'),
  secretKey: credentialSetting('KLING_SECRET_KEY', 'Kling secret key (signs the JWT; never sent)'),
  baseUrl: baseUrlSetting('KLING_BASE_URL', 'https://api-singapore.klingai.com'),
  // Kling's limit follows the account's resource pack (code 1303 past it).
  maxConcurrency: concurrencySetting('KLING_MAX_CONCURRENCY'),
});

import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const replicateSettings = defineSettings({
  apiToken: credentialSetting('REPLICATE_API_TOKEN', 'Replicate API token (Replicate hosts Seedance, Seedream, OmniHuman, Wan Animate, Kling and more)'),
  baseUrl: baseUrlSetting('REPLICATE_BASE_URL', 'https://api.replicate.com'),
});

import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const falSettings = defineSettings({
  apiKey: credentialSetting('FAL_KEY', 'fal API key (fal hosts Seedance, Seedream, OmniHuman, Wan Animate, Kling and more)'),
  queueUrl: baseUrlSetting('FAL_QUEUE_URL', 'https://queue.fal.run'),
});

import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const elevenLabsSettings = defineSettings({
  apiKey: credentialSetting('ELEVENLABS_API_KEY', 'ElevenLabs API key'),
  baseUrl: baseUrlSetting('ELEVENLABS_BASE_URL', 'https://api.elevenlabs.io'),
});

import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

export const minimaxSettings = defineSettings({
  apiKey: credentialSetting('MINIMAX_API_KEY', 'MiniMax API key'),
  baseUrl: baseUrlSetting('MINIMAX_BASE_URL', 'https://api.minimax.io'),
});

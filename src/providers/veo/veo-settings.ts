import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

/** The Gemini API's key and origin (Google's image models read the same two settings). */
export const geminiSettings = defineSettings({
  apiKey: credentialSetting('GEMINI_API_KEY', 'Gemini API key (Google AI Studio)'),
  baseUrl: baseUrlSetting('GEMINI_BASE_URL', 'https://generativelanguage.googleapis.com'),
});

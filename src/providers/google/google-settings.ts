import { z } from 'zod';
import { baseUrlSetting, credentialSetting } from '../shared/settings.ts';
import { defineSettings } from '../spec.ts';

/** The Gemini API's key and origin (Google's image models read the same two settings). */
export const geminiSettings = defineSettings({
  apiKey: credentialSetting('GEMINI_API_KEY', 'Gemini API key (Google AI Studio)'),
  baseUrl: baseUrlSetting('GEMINI_BASE_URL', 'https://generativelanguage.googleapis.com'),
});

/** Vertex AI: a Google Cloud project, its region, and a service account key file (signs self-issued JWTs). */
export const vertexSettings = defineSettings({
  project: credentialSetting('VERTEX_PROJECT', 'Google Cloud project id for Vertex AI'),
  location: {
    env: 'VERTEX_LOCATION',
    schema: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('us-central1'),
    description: 'Vertex AI region (default us-central1)',
  },
  credentialsFile: credentialSetting('GOOGLE_APPLICATION_CREDENTIALS', 'Path to a service account key file (JSON) with Vertex AI access'),
  baseUrl: { env: 'VERTEX_BASE_URL', schema: z.url({ protocol: /^https?$/ }).optional(), description: 'Origin of the Vertex AI API (default https://{VERTEX_LOCATION}-aiplatform.googleapis.com)' },
});

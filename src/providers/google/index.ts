/** Google's generative media: Veo video (Gemini API and Vertex AI) and its image models (Gemini API). */
export { imagenProvider } from './imagen-provider.ts';
export { veoProvider } from './veo-provider.ts';

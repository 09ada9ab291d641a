/**
 * genway as a Vercel AI SDK provider: `import { createGenway } from 'genway/ai-sdk'`, then
 * `generateImage({ model: genway.image('flux-pro'), … })`, `experimental_generateSpeech`, `experimental_generateVideo`.
 * A model id is a genway provider id; each call is one `generate` through the typed client, waited for and downloaded.
 */
import { createClient } from '../client/index.ts';
import type { GenwayModelContext } from './genway-generation.ts';
import { GenwayImageModel, type GenwayImageModelId } from './genway-image-model.ts';
import { GenwaySpeechModel, type GenwaySpeechModelId } from './genway-speech-model.ts';
import { GenwayVideoModel, type GenwayVideoModelId } from './genway-video-model.ts';

export { GenwayError, type GenwayErrorCode } from '../client/index.ts';
export { GenwayImageModel, type GenwayImageModelId, GenwaySpeechModel, type GenwaySpeechModelId, GenwayVideoModel, type GenwayVideoModelId };

export interface GenwayProviderSettings {
  /** Where genway answers, e.g. `http://127.0.0.1:4000`. */
  baseURL: string;
  apiKey: string;
  /** For outputs and API calls alike (a proxy, a test); the global fetch by default. */
  fetch?: typeof fetch;
  /** A WebSocket class where there is no global one (Node 20: `import WebSocket from 'ws'`); without one, waits poll. */
  webSocketImpl?: unknown;
  /** How often a wait polls when it cannot subscribe (ms, default 1000). */
  pollIntervalMs?: number;
  /** The longest one generation is waited for (ms); no limit by default. */
  timeoutMs?: number;
}

export function createGenway(settings: GenwayProviderSettings) {
  const fetchImpl = settings.fetch ?? globalThis.fetch.bind(globalThis);
  const client = createClient({ baseUrl: settings.baseURL, apiKey: settings.apiKey, fetch: fetchImpl, webSocketImpl: settings.webSocketImpl, pollIntervalMs: settings.pollIntervalMs });
  const context: GenwayModelContext = { client, fetch: fetchImpl, timeoutMs: settings.timeoutMs };
  const image = (modelId: GenwayImageModelId) => new GenwayImageModel(modelId, context);
  const speech = (modelId: GenwaySpeechModelId) => new GenwaySpeechModel(modelId, context);
  const video = (modelId: GenwayVideoModelId) => new GenwayVideoModel(modelId, context);
  return { image, speech, video, imageModel: image, speechModel: speech, videoModel: video };
}

export type GenwayProvider = ReturnType<typeof createGenway>;

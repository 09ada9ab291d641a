import type { SharedV3ProviderOptions, SharedV3Warning } from '@ai-sdk/provider';
import { type GenerateInput, type Generation, type GenwayClient, GenwayError } from '../client/index.ts';

/** What every genway model of this provider shares: the typed client, how to fetch outputs, how long to wait. */
export interface GenwayModelContext {
  client: GenwayClient;
  fetch: typeof fetch;
  timeoutMs: number | undefined;
}

export interface OutputFile {
  bytes: Uint8Array;
  mediaType: string;
}

/** `providerOptions.genway`, passed through as genway's provider `options` (the mapped settings yield to it). */
export const genwayOptionsOf = (providerOptions: SharedV3ProviderOptions | undefined): Record<string, unknown> => providerOptions?.genway ?? {};

export const unsupported = (feature: string, details: string): SharedV3Warning => ({ type: 'unsupported', feature, details });

/** What the SDK hands every model call besides its settings. */
export interface ModelCall {
  abortSignal?: AbortSignal;
  headers?: Record<string, string | undefined>;
}

/** The unified request's field paths (`options.width`, `input.text`) as the SDK call's own setting names (`size`, `prompt`). */
export type SettingNames = Record<string, string>;

/** A refusal naming the field as the SDK call set it; any other option is one the call passed in providerOptions.genway. */
function namedAsSet(error: unknown, settingNames: SettingNames): unknown {
  if (!(error instanceof GenwayError) || !error.field) return error;
  const setting = settingNames[error.field] ?? (error.field.startsWith('options.') ? `providerOptions.genway.${error.field.slice('options.'.length)}` : undefined);
  return setting ? new GenwayError(error.code, error.message, { ...error.options, field: setting }) : error;
}

/** An `Idempotency-Key` header given to the SDK call, in any case; without one the client makes its own. */
const idempotencyKeyOf = (headers: ModelCall['headers']) => Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];

/** Runs one generation to its end and downloads its outputs; a refusal or a failed generation throws the client's GenwayError. */
export async function generateFiles(context: GenwayModelContext, input: GenerateInput, call: ModelCall, settingNames: SettingNames): Promise<{ generation: Generation; files: OutputFile[] }> {
  const signal = call.abortSignal;
  const generation = await context.client
    .generate(input, { signal, idempotencyKey: idempotencyKeyOf(call.headers) })
    .then((queued) => context.client.waitForCompletion(queued.id, { signal, timeoutMs: context.timeoutMs }))
    .catch((error: unknown) => {
      throw namedAsSet(error, settingNames);
    });
  const urls = generation.outputs.length > 0 ? generation.outputs : generation.url ? [generation.url] : [];
  const files = await Promise.all(urls.map((url) => download(context.fetch, url, generation, signal)));
  return { generation, files };
}

async function download(fetchImpl: typeof fetch, url: string, generation: Generation, signal: AbortSignal | undefined): Promise<OutputFile> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal });
  } catch (error) {
    throw new GenwayError('NETWORK', `The output could not be downloaded: ${(error as Error).message}`, { retryable: true, generation });
  }
  if (!response.ok) throw new GenwayError('NETWORK', `The output download answered HTTP ${response.status}`, { status: response.status, retryable: response.status >= 500, generation });
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() || generation.metadata?.contentType || 'application/octet-stream';
  return { bytes: new Uint8Array(await response.arrayBuffer()), mediaType };
}

/** An SDK input file (bytes, base64 or a URL) as the string genway's `input` takes: its URL, or a data URI. */
export function fileReference(file: { type: 'file'; mediaType: string; data: string | Uint8Array } | { type: 'url'; url: string }): string {
  if (file.type === 'url') return file.url;
  const base64 = typeof file.data === 'string' ? file.data : base64Of(file.data);
  return `data:${file.mediaType};base64,${base64}`;
}

// btoa over 32 KiB slices: web APIs only (no Buffer), so the provider runs wherever the client does.
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

export const responseOf = (modelId: string, generation: Generation) => ({ timestamp: new Date(generation.createdAt), modelId: generation.model ?? modelId, headers: undefined });

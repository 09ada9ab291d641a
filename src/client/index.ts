/**
 * genway's typed client: `import { createClient } from 'genway/client'`. Standard web APIs only (fetch, WebSocket,
 * AbortSignal, crypto.randomUUID), so it runs in browsers and edge runtimes as well as Node.
 */
import { createClient as createWebSocketClient } from 'graphql-ws/client';
import { Webhook } from 'standardwebhooks';
import { type GenerateInput, type Generation, generationSelection } from './schema-types.ts';

export type * from './schema-types.ts';

/** The gateway's closed set of codes, plus the client's own: CANCELLED, TIMEOUT, NETWORK, INVALID_SIGNATURE. */
export type GenwayErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'INSUFFICIENT_CREDITS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'PAYLOAD_TOO_LARGE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RATE_LIMIT'
  | 'INTERNAL'
  | 'GENERATION_FAILED'
  | 'CONTENT_MODERATION'
  | 'PROVIDER_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'INVALID_SIGNATURE';

export class GenwayError extends Error {
  override readonly name = 'GenwayError';

  constructor(
    readonly code: GenwayErrorCode | (string & {}),
    message: string,
    readonly options: { retryable?: boolean; field?: string; status?: number; generation?: Generation; details?: Record<string, unknown> } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }

  /** The input field at fault, e.g. `input.options.duration`. */
  get field(): string | undefined {
    return this.options.field;
  }

  /** For a generation that failed or was cancelled: its record. */
  get generation(): Generation | undefined {
    return this.options.generation;
  }
}

export interface ClientOptions {
  /** Where genway answers, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  apiKey: string;
  /** Attempts for one call on network errors, 429 and 5xx (Retry-After honoured); 1 turns retries off. Default 4. */
  maxAttempts?: number;
  /** A WebSocket class where there is no global one (Node 20: `import WebSocket from 'ws'`); without one, waits poll. */
  webSocketImpl?: unknown;
  /** How often `waitForCompletion` polls when it cannot subscribe (ms, default 1000). */
  pollIntervalMs?: number;
  fetch?: typeof fetch;
}

export interface WaitOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with every state the generation passes through (status and progress). */
  onProgress?(generation: Generation): void;
}

const terminalStatuses = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; retryable?: boolean; field?: string; [name: string]: unknown };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const abortError = (signal: AbortSignal) => (signal.reason instanceof GenwayError ? signal.reason : new GenwayError('CANCELLED', 'The wait was aborted'));

function errorFromGraphQL(error: GraphQLErrorShape, status?: number): GenwayError {
  const { code = 'INTERNAL', retryable, field, ...details } = error.extensions ?? {};
  return new GenwayError(code, error.message, { retryable: retryable ?? false, field, status, details });
}

/** Exponential backoff from 500 ms with jitter, or what the server's Retry-After asked for. */
function retryDelayMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
}

/** Fails a generation's wait the way its record says it ended. */
function endOf(generation: Generation): Generation {
  if (generation.status === 'COMPLETED') return generation;
  if (generation.status === 'CANCELLED') throw new GenwayError('CANCELLED', 'The generation was cancelled', { generation });
  const error = generation.error;
  throw new GenwayError(error?.code ?? 'GENERATION_FAILED', error?.message ?? 'The generation failed', { retryable: error?.retryable ?? false, field: error?.field ?? undefined, generation });
}

export function createClient(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const maxAttempts = options.maxAttempts ?? 4;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const webSocketImpl = options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;

  async function request<Data>(query: string, variables: Record<string, unknown>, call: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<Data> {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` };
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: call.signal });
      } catch (error) {
        if (call.signal?.aborted) throw abortError(call.signal);
        if (attempt >= maxAttempts) throw new GenwayError('NETWORK', `genway could not be reached: ${(error as Error).message}`, { retryable: true });
        await sleep(retryDelayMs(attempt, null), call.signal);
        continue;
      }
      const body = (await response.json().catch(() => ({}))) as { data?: Data; errors?: GraphQLErrorShape[] };
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < maxAttempts) {
        await sleep(retryDelayMs(attempt, response.headers.get('retry-after')), call.signal);
        continue;
      }
      if (body.errors?.length) throw errorFromGraphQL(body.errors[0]!, response.status);
      if (!response.ok || body.data === undefined) throw new GenwayError('INTERNAL', `genway answered HTTP ${response.status}`, { status: response.status, retryable });
      return body.data;
    }
  }

  const generation = async (id: string, signal?: AbortSignal) =>
    (await request<{ generation: Generation }>(`query ($id: ID!) { generation(id: $id) { ${generationSelection} } }`, { id }, { signal })).generation;

  /** The generation's states as they change, over a WebSocket subscription; ends after a final state. */
  async function* subscribe(id: string): AsyncGenerator<Generation> {
    if (!webSocketImpl) throw new GenwayError('NETWORK', 'No WebSocket implementation: pass webSocketImpl, or use waitForCompletion, which polls');
    const socket = createWebSocketClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl,
      connectionParams: { authorization: `Bearer ${options.apiKey}` },
      retryAttempts: 0,
      lazy: true,
    });
    try {
      const results = socket.iterate<{ generationUpdated: Generation }>({ query: `subscription ($id: ID!) { generationUpdated(id: $id) { ${generationSelection} } }`, variables: { id } });
      for await (const result of results) {
        if (result.errors?.length) throw errorFromGraphQL(result.errors[0] as GraphQLErrorShape);
        if (result.data) yield result.data.generationUpdated;
      }
    } catch (error) {
      if (error instanceof GenwayError) throw error;
      const reason = error instanceof Error ? error.message : `the connection closed (${(error as { code?: number }).code ?? 'no code'})`;
      throw new GenwayError('NETWORK', `The subscription failed: ${reason}`, { retryable: true });
    } finally {
      await socket.dispose();
    }
  }

  async function poll(id: string, signal: AbortSignal, onProgress?: (generation: Generation) => void): Promise<Generation> {
    for (let round = 0; ; round++) {
      const current = await generation(id, signal);
      onProgress?.(current);
      if (terminalStatuses.has(current.status)) return endOf(current);
      await sleep(Math.min(pollIntervalMs * 1.5 ** Math.min(round, 4), 5000), signal);
    }
  }

  async function waitForCompletion(id: string, wait: WaitOptions = {}): Promise<Generation> {
    const signals = [wait.signal, wait.timeoutMs ? AbortSignal.timeout(wait.timeoutMs) : undefined].filter((signal): signal is AbortSignal => signal !== undefined);
    const controller = new AbortController();
    const abort = () => {
      const timedOut = wait.timeoutMs !== undefined && signals.some((signal) => signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError');
      controller.abort(timedOut ? new GenwayError('TIMEOUT', `The generation did not finish within ${wait.timeoutMs} ms`) : new GenwayError('CANCELLED', 'The wait was aborted'));
    };
    for (const signal of signals) signal.addEventListener('abort', abort, { once: true });
    const signal = controller.signal;
    try {
      if (webSocketImpl) {
        const stream = subscribe(id);
        const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(abortError(signal)), { once: true }));
        try {
          while (true) {
            const next = await Promise.race([stream.next(), aborted]);
            if (next.done) break;
            wait.onProgress?.(next.value);
            if (terminalStatuses.has(next.value.status)) return endOf(next.value);
          }
        } catch (error) {
          // Without a working WebSocket (refused, dropped) the wait goes on by polling; any other error is the answer.
          if (!(error instanceof GenwayError) || error.code !== 'NETWORK') throw error;
        } finally {
          void stream.return(undefined);
        }
      }
      return await poll(id, signal, wait.onProgress);
    } finally {
      for (const each of signals) each.removeEventListener('abort', abort);
    }
  }

  return {
    /** Queues a generation. The Idempotency-Key (made up when not given) is the same on every retry, so a retry never makes a second one. */
    async generate(input: GenerateInput, call: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<Generation> {
      const idempotencyKey = call.idempotencyKey ?? crypto.randomUUID();
      const data = await request<{ generate: Generation }>(
        `mutation ($input: GenerateInput!) { generate(input: $input) { ${generationSelection} } }`,
        { input },
        { idempotencyKey, signal: call.signal },
      );
      return data.generate;
    },
    generation: (id: string) => generation(id),
    /** True when the generation was cancelled by this call. */
    async cancel(id: string): Promise<boolean> {
      return (await request<{ cancelGeneration: boolean }>('mutation ($id: ID!) { cancelGeneration(id: $id) }', { id })).cancelGeneration;
    },
    subscribe,
    waitForCompletion,
  };
}

export type GenwayClient = ReturnType<typeof createClient>;

/**
 * Checks a webhook delivery's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`,
 * five minutes of tolerance) against your `whsec_…` secret and answers its parsed payload. Pass the raw body.
 */
export async function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined> | Headers, rawBody: string): Promise<unknown> {
  const read = (name: string) => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const value = Object.entries(headers as Record<string, string | string[] | undefined>).find(([key]) => key.toLowerCase() === name)?.[1];
    return Array.isArray(value) ? value[0] : value;
  };
  const standard = { 'webhook-id': read('webhook-id') ?? '', 'webhook-timestamp': read('webhook-timestamp') ?? '', 'webhook-signature': read('webhook-signature') ?? '' };
  try {
    return new Webhook(secret).verify(rawBody, standard);
  } catch (error) {
    throw new GenwayError('INVALID_SIGNATURE', `The webhook signature does not verify: ${(error as Error).message}`);
  }
}

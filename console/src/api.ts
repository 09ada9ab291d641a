import { GenwayError } from '../../src/client/index.ts';

export { GenwayError };

const keyStorage = 'genway.apiKey';

/** The key lives in session storage only: gone when the tab closes, never in a URL. */
export const session = {
  key: () => sessionStorage.getItem(keyStorage),
  signIn: (key: string) => sessionStorage.setItem(keyStorage, key),
  signOut: () => sessionStorage.removeItem(keyStorage),
};

interface ErrorShape {
  message: string;
  extensions?: { code?: string; field?: string; retryable?: boolean };
}

/** One GraphQL call to this gateway with the signed-in key; errors become GenwayError with the API's code and field. */
export async function graphql<Data>(query: string, variables: Record<string, unknown> = {}, key = session.key()): Promise<Data> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key ?? ''}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: Data; errors?: ErrorShape[] };
  const error = body.errors?.[0];
  if (error) throw new GenwayError(error.extensions?.code ?? 'INTERNAL', error.message, { field: error.extensions?.field, retryable: error.extensions?.retryable, status: response.status });
  if (!response.ok || body.data === undefined) throw new GenwayError('INTERNAL', `HTTP ${response.status}`);
  return body.data;
}

export const generationFields = `id status type provider route url progress creditCost estimatedTime testMode webhookUrl createdAt startedAt completedAt
  metadata { width height duration format contentType sizeBytes }
  error { code message field }`;

export interface GenerationSummary {
  id: string;
  status: string;
  type: string;
  provider: string;
  route: string;
  url: string | null;
  progress: number | null;
  creditCost: number;
  estimatedTime: number | null;
  testMode: boolean;
  webhookUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  metadata: { width: number | null; height: number | null; duration: number | null; format: string | null; contentType: string | null; sizeBytes: number | null } | null;
  error: { code: string; message: string; field: string | null } | null;
}

export const isActive = (status: string) => status === 'QUEUED' || status === 'PROCESSING';

/** The WebSocket address of this gateway's GraphQL endpoint. */
export const webSocketUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

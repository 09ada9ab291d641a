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

export type { Generation as GenerationSummary } from '../../src/client/schema-types.ts';
/** Every field of a generation, from the schema (the typed client's own selection and type). */
export { generationSelection as generationFields } from '../../src/client/schema-types.ts';

export const isActive = (status: string) => status === 'QUEUED' || status === 'PROCESSING';

/** The WebSocket address of this gateway's GraphQL endpoint. */
export const webSocketUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

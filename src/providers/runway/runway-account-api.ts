import { GatewayError } from '../../errors/gateway-error.ts';
import { redactingErrors, settingsSecrets } from '../shared/redacting-connector.ts';
import { joinUrl, upstreamError } from '../shared/upstream-errors.ts';
import { callUpstream, type UpstreamRequest } from '../shared/upstream-http.ts';
import { runwayApiVersion } from './runway-models.ts';

interface AccountCallOptions {
  body?: unknown;
  query?: Record<string, unknown>;
  bearer?: string;
}

export interface RunwayAccountApi {
  /** Calls one of Runway's account endpoints (avatars, documents, realtime sessions) and returns its JSON body. */
  call(method: UpstreamRequest['method'], path: string, options?: AccountCallOptions): Promise<unknown>;
}

type AccountSettings = { apiKey: string; baseUrl: string };

/**
 * Runway's non-task endpoints with the operator's key; a 404 stays a 404, other failures are upstream errors, which
 * answer a client at once, so they lose the settings' secrets as a connector's errors do.
 */
export function createRunwayAccountApi(settings: AccountSettings): RunwayAccountApi {
  const secrets = settingsSecrets(settings);
  return {
    call: (method, path, options) => redactingErrors(secrets, () => callAccountApi(settings, method, path, options)),
  };
}

async function callAccountApi(settings: AccountSettings, method: UpstreamRequest['method'], path: string, { body, query, bearer }: AccountCallOptions = {}) {
  const search = new URLSearchParams(Object.entries(query ?? {}).flatMap(([name, value]): [string, string][] => (value === undefined ? [] : [[name, String(value)]]))).toString();
  const url = joinUrl(settings.baseUrl, search ? `${path}?${search}` : path);
  const headers = { authorization: `Bearer ${bearer ?? settings.apiKey}`, 'x-runway-version': runwayApiVersion };
  const response = await callUpstream({ method, url, headers, body });
  if (response.status === 404) throw new GatewayError('NOT_FOUND', `Runway has no ${path}`);
  if (response.status >= 300) throw upstreamError('Runway', response);
  return response.body;
}

import { GatewayError } from '../../errors/gateway-error.ts';

/** What a proxied request asks of fal, read from its `x-fal-target-url`. */
export type FalTarget =
  | { kind: 'submit'; endpointId: string; webhookUrl: string | undefined }
  | { kind: 'run'; endpointId: string }
  | { kind: 'status'; app: string; requestId: string; logs: boolean }
  | { kind: 'result'; app: string; requestId: string }
  | { kind: 'cancel'; app: string; requestId: string };

export const targetUrlHeader = 'x-fal-target-url';

const queueHost = 'queue.fal.run';
const runHost = 'fal.run';
const requestPath = /^\/((?:workflows\/|comfy\/)?[^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?\/?$/;

const invalidTarget = (message: string) => new GatewayError('INVALID_INPUT', `${targetUrlHeader}: ${message}`, { details: { field: targetUrlHeader, loc: ['header', targetUrlHeader] } });

/**
 * The fal call a proxied request names. Only fal's own queue and run hosts are accepted, over https; what they name
 * runs here, never upstream.
 */
export function parseFalTarget(header: unknown, method: string): FalTarget {
  if (typeof header !== 'string' || header === '') throw invalidTarget('is required: configure the fal client with this proxy as its proxyUrl');
  let url: URL;
  try {
    url = new URL(header);
  } catch {
    throw invalidTarget('is not a URL');
  }
  if (url.protocol !== 'https:' || (url.hostname !== queueHost && url.hostname !== runHost) || url.port !== '' || url.username !== '') {
    throw invalidTarget(`only ${queueHost} and ${runHost} are served by this proxy`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const endpointId = path.replace(/^\//, '');
  if (url.hostname === runHost) {
    if (method !== 'POST') throw notServed(method, header);
    return { kind: 'run', endpointId };
  }
  const request = requestPath.exec(path);
  if (request) {
    const [, app, requestId, action] = request as unknown as [string, string, string, string | undefined];
    if (action === '/status' && method === 'GET') return { kind: 'status', app, requestId, logs: ['1', 'true'].includes(url.searchParams.get('logs') ?? '') };
    if (action === '/cancel' && method === 'PUT') return { kind: 'cancel', app, requestId };
    if (!action && method === 'GET') return { kind: 'result', app, requestId };
    throw notServed(method, header);
  }
  if (method !== 'POST') throw notServed(method, header);
  return { kind: 'submit', endpointId, webhookUrl: url.searchParams.get('fal_webhook') ?? undefined };
}

function notServed(method: string, target: string) {
  return new GatewayError('NOT_FOUND', `this proxy does not serve ${method} ${new URL(target).pathname}`, { details: { field: targetUrlHeader } });
}

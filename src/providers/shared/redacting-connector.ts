import { GatewayError } from '../../errors/gateway-error.ts';
import type { Connector, PollResult } from '../spec.ts';
import { redactUpstreamText } from './upstream-text.ts';

/**
 * What a route's settings hold that an upstream's words must not carry out: every text setting (its keys, project,
 * key file) and the host of every origin. Patterns catch key-shaped text; only the settings know a key that is not.
 */
export function settingsSecrets(settings: Record<string, unknown>): string[] {
  return Object.values(settings).flatMap((value) => {
    if (typeof value !== 'string') return [];
    if (!/^https?:\/\//.test(value)) return [value];
    const { host, hostname } = new URL(value);
    return [host, hostname];
  });
}

/** The same error without the secrets in its message and without its cause (a cause's text is logged with it). */
export function redactedError(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof GatewayError)) return error;
  const message = redactUpstreamText(error.message, secrets);
  if (message === error.message && error.cause === undefined) return error;
  return new GatewayError(error.code, message, { retryable: error.retryable, details: error.details, headers: error.headers, retryAfterMs: error.retryAfterMs });
}

/** Runs `call`, rethrowing what it throws as `redactedError` makes it. */
export async function redactingErrors<T>(secrets: readonly string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw redactedError(error, secrets);
  }
}

/**
 * A connector whose errors and failed polls never carry its route's secrets: applied to every route as it is
 * connected, so each provider's failure map need not know its settings, and whatever a job logs or records is clean.
 */
export function redactingConnector(connector: Connector, secrets: readonly string[]): Connector {
  const redacted: Connector = {
    operationSchema: connector.operationSchema,
    submit: (request, context) => redactingErrors(secrets, () => connector.submit(request, context)),
    async poll(operation, context, request): Promise<PollResult> {
      const result = await redactingErrors(secrets, () => connector.poll(operation, context, request));
      return result.status === 'failed' ? { ...result, message: redactUpstreamText(result.message, secrets) } : result;
    },
  };
  if (connector.cancel) redacted.cancel = (operation, context) => redactingErrors(secrets, async () => connector.cancel?.(operation, context));
  return redacted;
}

import { GatewayError } from '../../errors/gateway-error.ts';
import { upstreamError } from '../shared/upstream-errors.ts';
import type { UpstreamResponse } from '../shared/upstream-http.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';

/** fal's validation errors: `{ detail: [{ loc, msg, type }] }` (422); a content policy refusal has its own type. */
interface FalDetail {
  loc?: unknown[];
  msg?: string;
  type?: string;
}

const detailsOf = (body: unknown): FalDetail[] => {
  const detail = (body as { detail?: unknown } | null)?.detail;
  return Array.isArray(detail) ? (detail as FalDetail[]) : [];
};

/** An error answer from fal's queue (on submit, or when reading a failed request's result). */
export function falError(response: UpstreamResponse): GatewayError {
  const details = detailsOf(response.body);
  if (details.some((detail) => detail.type === 'content_policy_violation'))
    return new GatewayError('CONTENT_MODERATION', `fal refused the content: ${sanitizeUpstreamText(details.map((detail) => detail.msg).join('; '))}`);
  const message = details.length > 0 ? details.map((detail) => `${(detail.loc ?? []).join('.')}: ${detail.msg}`).join('; ') : undefined;
  return upstreamError('fal', response, message);
}

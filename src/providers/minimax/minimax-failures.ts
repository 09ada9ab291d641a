import { type ErrorCode, GatewayError } from '../../errors/gateway-error.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import type { UpstreamResponse } from '../shared/upstream-http.ts';
import { sanitizeUpstreamText } from '../shared/upstream-text.ts';

interface StatusCodeRule {
  codes: readonly number[];
  code: ErrorCode;
  retryable: boolean;
  why: string;
  waitMs?: number;
}

/** MiniMax's `base_resp.status_code` values (its error-code page) and what each means for the client. */
export const minimaxStatusCodes: StatusCodeRule[] = [
  { codes: [1002, 1039, 1041], code: 'PROVIDER_UNAVAILABLE', retryable: true, why: 'MiniMax is at its rate limit', waitMs: 5_000 },
  { codes: [1000, 1001, 1024, 1033], code: 'PROVIDER_UNAVAILABLE', retryable: true, why: 'MiniMax had an internal error' },
  { codes: [1004, 2038], code: 'PROVIDER_UNAVAILABLE', retryable: false, why: "MiniMax refused this gateway's credentials" },
  { codes: [1008], code: 'PROVIDER_UNAVAILABLE', retryable: false, why: "MiniMax's account balance is too low" },
  { codes: [1026, 1027], code: 'CONTENT_MODERATION', retryable: false, why: "MiniMax's content check refused the input or the output" },
  { codes: [1042, 2013, 20132], code: 'INVALID_INPUT', retryable: false, why: 'MiniMax refused the parameters' },
];

export interface BaseResponse {
  status_code: number;
  status_msg?: string;
}

/** An error from `base_resp` (MiniMax answers HTTP 200 with a non-zero status code), or from the HTTP status when there is none. */
export function minimaxError(baseResp: BaseResponse | undefined, response: UpstreamResponse): GatewayError {
  const rule = minimaxStatusCodes.find((candidate) => candidate.codes.includes(Number(baseResp?.status_code)));
  if (!rule) {
    const retryable = response.status === 429 || response.status >= 500 || baseResp === undefined;
    return new GatewayError('PROVIDER_UNAVAILABLE', `MiniMax answered ${response.status}${baseResp ? ` status ${baseResp.status_code}: ${sanitizeUpstreamText(baseResp.status_msg ?? '')}` : ''}`, {
      retryable,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after']),
    });
  }
  const message =
    rule.code === 'PROVIDER_UNAVAILABLE' && !rule.retryable
      ? `${rule.why} (status ${baseResp?.status_code})`
      : `MiniMax status ${baseResp?.status_code}: ${baseResp?.status_msg ? sanitizeUpstreamText(baseResp.status_msg) : rule.why}`;
  return new GatewayError(rule.code, message, { retryable: rule.retryable, retryAfterMs: rule.retryable ? (parseRetryAfterMs(response.headers['retry-after']) ?? rule.waitMs) : undefined });
}

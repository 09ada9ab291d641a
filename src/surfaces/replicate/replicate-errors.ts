import type { ErrorCode, GatewayError } from '../../errors/gateway-error.ts';

/** Replicate answers invalid input with 422; every other code keeps genway's status. */
export const replicateStatusOf = (error: GatewayError) => (error.code === 'INVALID_INPUT' ? 422 : error.httpStatus);

/** Replicate's problem titles for the statuses it documents. */
const titleOf: Partial<Record<ErrorCode, string>> = {
  INVALID_INPUT: 'Input validation failed',
  UNAUTHENTICATED: 'Unauthenticated',
  INSUFFICIENT_CREDITS: 'Insufficient credit',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  RATE_LIMIT: 'Request was throttled',
  PAYLOAD_TOO_LARGE: 'Request entity too large',
  IDEMPOTENCY_CONFLICT: 'Idempotency key reused',
  IDEMPOTENCY_IN_PROGRESS: 'Request in progress',
};

/**
 * Replicate's error body (an RFC 7807 problem: `title`, `detail`, `status`), with `invalid_fields` naming the input
 * field as the client sent it, and genway's `code` for clients that branch on it.
 */
export function replicateErrorBody(error: GatewayError) {
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  const { issues: _issues, field: _field, ...details } = error.details;
  return {
    title: titleOf[error.code] ?? (error.httpStatus >= 500 ? 'Service error' : 'Request failed'),
    detail: error.message,
    status: replicateStatusOf(error),
    code: error.code,
    ...details,
    ...(field ? { invalid_fields: [{ type: 'invalid', field, description: error.message }] } : {}),
    ...(error.retryable ? { retryable: true } : {}),
  };
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, GatewayError } from '../../errors/gateway-error.ts';
import { asGatewayError } from '../../http/error-handler.ts';

/**
 * fal's two error bodies (its "Model Errors" and "Request Errors" references): input and content problems are 422 with
 * `detail` a list of `{loc, msg, type}` (the client raises its ValidationError); anything else is `{detail, error_type}`
 * with the status genway gives the code (the client's ApiError). `error_type` is genway's code in lower case, also
 * in `X-Fal-Error-Type`; `X-Fal-Retryable` says whether trying again may help.
 */
const inputCodes: Partial<Record<ErrorCode, string>> = { INVALID_INPUT: 'value_error', CONTENT_MODERATION: 'content_policy_violation' };

export function falErrorBody(error: GatewayError) {
  const errorType = error.code.toLowerCase();
  const type = inputCodes[error.code];
  if (!type) return { detail: error.message, error_type: errorType };
  const loc = Array.isArray(error.details.loc) ? error.details.loc : ['body', ...(typeof error.details.field === 'string' ? error.details.field.split('.') : [])];
  const message = typeof error.details.field === 'string' ? error.message.replace(`${error.details.field}: `, '') : error.message;
  return { detail: [{ loc, msg: message, type }], error_type: errorType };
}

export function sendFalError(reply: FastifyReply, error: GatewayError) {
  const status = inputCodes[error.code] ? 422 : error.httpStatus;
  return reply
    .code(status)
    .headers(error.headers)
    .headers({ 'x-fal-error-type': error.code.toLowerCase(), 'x-fal-retryable': String(error.retryable) })
    .send(falErrorBody(error));
}

export function falErrorHandler(error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  return sendFalError(reply, asGatewayError(error, request));
}

/** The same error with its field given as fal's `loc`, the path of what the client sent. */
export function withFalLocation(error: unknown, locate: (field: string) => Array<string | number>): unknown {
  if (!(error instanceof GatewayError) || typeof error.details.field !== 'string') return error;
  return new GatewayError(error.code, error.message, {
    retryable: error.retryable,
    headers: error.headers,
    details: { ...error.details, loc: locate(error.details.field) },
    cause: error,
  });
}

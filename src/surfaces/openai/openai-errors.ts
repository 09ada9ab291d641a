import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, GatewayError } from '../../errors/gateway-error.ts';
import type { GenerationFailure } from '../../generations/generation.ts';
import { asGatewayError } from '../../http/error-handler.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The unified request's field paths (`input.text`, `options.width`…) as this OpenAI endpoint's own parameter names. */
    openaiParameters?: Record<string, string>;
  }
}

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Each gateway code as OpenAI's status, `type` and `code`: OpenAI answers 429 `insufficient_quota` where genway has 402. */
const openAiShapes: Record<ErrorCode, { status: number; type: string; code: string | null }> = {
  INVALID_INPUT: { status: 400, type: 'invalid_request_error', code: 'invalid_value' },
  UNAUTHENTICATED: { status: 401, type: 'invalid_request_error', code: 'invalid_api_key' },
  INSUFFICIENT_CREDITS: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  FORBIDDEN: { status: 403, type: 'invalid_request_error', code: 'forbidden' },
  NOT_FOUND: { status: 404, type: 'invalid_request_error', code: 'not_found' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, type: 'invalid_request_error', code: 'idempotency_in_progress' },
  PAYLOAD_TOO_LARGE: { status: 413, type: 'invalid_request_error', code: 'payload_too_large' },
  IDEMPOTENCY_CONFLICT: { status: 422, type: 'invalid_request_error', code: 'idempotency_conflict' },
  RATE_LIMIT: { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
  INTERNAL: { status: 500, type: 'server_error', code: 'internal_error' },
  GENERATION_FAILED: { status: 500, type: 'server_error', code: 'generation_failed' },
  CONTENT_MODERATION: { status: 400, type: 'invalid_request_error', code: 'moderation_blocked' },
  PROVIDER_UNAVAILABLE: { status: 503, type: 'server_error', code: 'provider_unavailable' },
  SERVICE_UNAVAILABLE: { status: 503, type: 'server_error', code: 'service_unavailable' },
  STORAGE_UNAVAILABLE: { status: 503, type: 'server_error', code: 'storage_unavailable' },
};

/** An unknown model is OpenAI's 404 `model_not_found`; the gateway says so as an unknown `provider`. */
const unknownModel = 'model_not_found';

export function unknownModelError(model: string): GatewayError {
  return new GatewayError('NOT_FOUND', `The model '${model}' does not exist; GET /models lists them`, { details: { field: 'provider', openaiCode: unknownModel } });
}

/** The field a gateway error names, as the OpenAI parameter the client sent (unmapped paths are kept as they are). */
function parameterOf(error: GatewayError, parameters: Record<string, string>): string | null {
  const field = typeof error.details.field === 'string' ? error.details.field : null;
  if (!field) return null;
  const segments = field.split('.');
  return parameters[field] ?? parameters[segments.slice(0, 2).join('.')] ?? parameters[segments[0]!] ?? field;
}

export function openAiErrorBody(error: GatewayError, parameters: Record<string, string> = {}): OpenAiErrorBody {
  const shape = openAiShapes[error.code];
  const code = typeof error.details.openaiCode === 'string' ? error.details.openaiCode : shape.code;
  return { error: { message: error.message, type: shape.type, param: parameterOf(error, parameters), code } };
}

export function sendOpenAiError(reply: FastifyReply, error: GatewayError) {
  const parameters = reply.request.routeOptions.config?.openaiParameters ?? {};
  return reply.code(openAiShapes[error.code].status).headers(error.headers).send(openAiErrorBody(error, parameters));
}

export function openAiErrorHandler(error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  return sendOpenAiError(reply, asGatewayError(error, request));
}

/** A generation's failure as the error its waiting request answers with. */
export function failureError(failure: GenerationFailure | null): GatewayError {
  const { code, message, retryable, field } = failure ?? { code: 'GENERATION_FAILED' as const, message: 'The generation failed', retryable: true };
  return new GatewayError(code, message, { retryable, details: field ? { field } : {} });
}

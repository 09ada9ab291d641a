import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, toErrorBody } from '../errors/gateway-error.ts';

/** Fastify's own request errors, mapped to our codes so even a broken request gets a coded answer. */
function fromFastifyError(error: FastifyError): GatewayError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('INVALID_INPUT', 'Unsupported Content-Type: send application/json', { details: { field: 'content-type' } });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('INVALID_INPUT', 'Request body is not valid JSON', { details: { field: 'body' } });
    default:
      if (error.validation) return new GatewayError('INVALID_INPUT', error.message, { details: { field: error.validationContext ?? 'body' } });
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new GatewayError('INVALID_INPUT', error.message);
      return null;
  }
}

export function handleHttpError(error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  const gatewayError = error instanceof GatewayError ? error : fromFastifyError(error);
  if (!gatewayError) {
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(toErrorBody(new GatewayError('INTERNAL', 'Internal server error')));
  }
  const statusCode = error instanceof GatewayError ? gatewayError.httpStatus : (error as FastifyError).statusCode && gatewayError.code !== 'INVALID_INPUT' ? (error as FastifyError).statusCode! : gatewayError.httpStatus;
  return reply.code(statusCode).headers(gatewayError.headers).send(toErrorBody(gatewayError));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(toErrorBody(new GatewayError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)));
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { GatewayError, serviceUnavailable, toErrorBody } from '../errors/gateway-error.ts';
import { isRedisUnavailableError } from '../redis/redis-client.ts';

/**
 * Fastify's and its plugins' own request errors (@fastify/multipart's FST_PARTS_LIMIT, FST_FILES_LIMIT,
 * FST_REQ_FILE_TOO_LARGE, FST_INVALID_MULTIPART_CONTENT_TYPE…), mapped by code or status so even a broken request
 * gets a coded 4xx answer.
 */
function fromFastifyError(error: FastifyError): GatewayError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('INVALID_INPUT', 'Unsupported Content-Type: send application/json', { details: { field: 'content-type' } });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new GatewayError('INVALID_INPUT', 'Content-Type: send multipart/form-data', { details: { field: 'content-type' } });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('INVALID_INPUT', 'Request body is not valid JSON', { details: { field: 'body' } });
    default:
      if (hasZodFastifySchemaValidationErrors(error)) {
        const issue = error.validation[0]!;
        const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || (error.validationContext ?? 'body');
        return new GatewayError('INVALID_INPUT', `${field}: ${issue.message}`, { details: { field } });
      }
      // A path that names nothing (a directory under /files/, say) is not there, whatever the plugin answering thought.
      if (error.statusCode === 403 || error.statusCode === 404) return new GatewayError('NOT_FOUND', 'Not found');
      if (error.statusCode === 413) return new GatewayError('PAYLOAD_TOO_LARGE', error.message);
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new GatewayError('INVALID_INPUT', error.message);
      return null;
  }
}

/**
 * An error met while reading a request's body. Fastify's and its plugins' own errors keep their status (mapped by
 * `fromFastifyError`); any other (busboy's missing boundary, a form that ends mid-part) is a malformed request, never
 * a 500. Only for errors of the body's parser or stream: a fault of ours there would be misreported as the client's.
 */
export function malformedBody(error: unknown, field = 'body'): GatewayError | FastifyError {
  if (error instanceof GatewayError) return error;
  const { statusCode } = error as Partial<FastifyError>;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return error as FastifyError;
  return new GatewayError('INVALID_INPUT', `${field}: the request body is not well-formed or ended early`, { details: { field }, cause: error });
}

/** Any error a route can end with, as a gateway error; unexpected ones are logged and masked as INTERNAL. */
export function asGatewayError(error: FastifyError | GatewayError, request: FastifyRequest): GatewayError {
  const gatewayError = error instanceof GatewayError ? error : fromFastifyError(error);
  if (gatewayError) return gatewayError;
  if (isRedisUnavailableError(error)) return serviceUnavailable();
  request.log.error({ err: error }, 'unexpected error');
  return new GatewayError('INTERNAL', 'Internal server error');
}

/** The one way every route answers with an error: its status, its headers (Retry-After…), and a body in the API's shape. */
export function replyWithError(reply: FastifyReply, error: GatewayError, body: (error: GatewayError) => unknown = toErrorBody) {
  return reply.code(error.httpStatus).headers(error.headers).send(body(error));
}

export function handleHttpError(error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  return replyWithError(reply, asGatewayError(error, request));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return replyWithError(reply, new GatewayError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`));
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bodyDepthError } from '../shared/json-limits.ts';

/**
 * JSON bodies parsed as Fastify parses them, refused when they nest too deep, and an empty body taken as no body
 * where `emptyIsNone` says so: client libraries add `Content-Type: application/json` to calls that send nothing.
 */
export function parseJsonBodies(app: FastifyInstance, emptyIsNone: (request: FastifyRequest) => boolean) {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '' && emptyIsNone(request)) return done(null, undefined);
    return parseJson(request, text, (error, parsed) => (error ? done(error) : done(bodyDepthError(parsed), parsed)));
  });
}

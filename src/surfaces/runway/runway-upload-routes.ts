import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { malformedBody } from '../../http/error-handler.ts';
import { defaultUploadLimits, type UploadStore } from '../../uploads/upload-store.ts';
import { uploadUriFor } from '../../uploads/upload-uri.ts';
import { authenticatesItself } from './runway-resource-routes.ts';

const tags = ['Runway-compatible'];
const uploadRequest = z.looseObject({ filename: z.string().min(1).max(255), type: z.literal('ephemeral') });
const formFieldValue = (field: unknown) => (field && typeof field === 'object' && 'value' in field && typeof field.value === 'string' ? field.value : '');

/** The form's file as it arrives: the body breaking off mid-part is the client's malformed request, not our fault. */
function clientBytes(file: Readable): Readable {
  return Readable.from(
    (async function* () {
      try {
        yield* file;
      } catch (error) {
        throw malformedBody(error, 'file');
      }
    })(),
    { objectMode: false },
  );
}

export interface RunwayUploadDependencies {
  uploads: Pick<UploadStore, 'begin' | 'receive'>;
}

/**
 * Runway's ephemeral uploads: `POST /v1/uploads` hands out a one-use form, the file is posted to it (no API key, as
 * to Runway's storage), and its `runway://` URI then works as any media input of this account.
 */
export function runwayUploadRoutes({ uploads }: RunwayUploadDependencies): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyMultipart, { limits: { fileSize: defaultUploadLimits.maxBytes + 1, files: 1, fields: 20, fieldSize: 4096 } });

    app.post('/v1/uploads', { schema: { summary: 'Start an ephemeral upload', tags, body: uploadRequest } }, async (request) => {
      const { id, token } = await uploads.begin(request.caller!.accountId, request.body.filename);
      // The form is posted where this request came in, whatever name the gateway is reached by.
      const origin = `${request.protocol}://${request.host}`;
      return { uploadUrl: `${origin}/runway/uploads/${id}`, fields: { key: id, token }, runwayUri: uploadUriFor(id) };
    });

    app.post(
      '/uploads/:id',
      { config: authenticatesItself, schema: { summary: "An upload form's file (multipart: its fields, then file)", tags, params: z.object({ id: z.string() }) } },
      async (request, reply) => {
        const part = await request.file().catch((error: unknown) => {
          throw malformedBody(error);
        });
        if (!part) throw new GatewayError('INVALID_INPUT', 'file: a multipart file field is required', { details: { field: 'file' } });
        const upload = await uploads.receive(request.params.id, formFieldValue(part.fields.token), clientBytes(part.file));
        return reply.code(201).send({ uri: uploadUriFor(upload.id), contentType: upload.contentType, bytes: upload.bytes });
      },
    );
  };
}

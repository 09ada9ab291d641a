import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.ts';
import { filesRoutePrefix, type LocalDiskStore } from '../storage/local-disk-store.ts';
import { type UploadStore, uploadLinkPrefix } from '../uploads/upload-store.ts';

export interface FileRouteDependencies {
  store: Pick<LocalDiskStore, 'root' | 'sweepPartials'>;
  uploads: Pick<UploadStore, 'sweepPartials' | 'open'>;
}

/**
 * The files this gateway serves without an API key, whichever API made them: outputs under /files/, and the links
 * upstreams other than Runway fetch an upload from (`UploadStore.linkFor`: the link is the credential).
 */
export async function registerFileRoutes(app: FastifyInstance, { store, uploads }: FileRouteDependencies) {
  await mkdir(store.root, { recursive: true });
  // What writers that crashed mid-file left would keep a disk full after space is freed.
  await Promise.all([store.sweepPartials(), uploads.sweepPartials()]);
  await app.register(fastifyStatic, { root: store.root, prefix: filesRoutePrefix, decorateReply: false, index: false, maxAge: '365d', immutable: true });

  const params = z.object({ id: z.string().max(80), linkToken: z.string().max(80) });
  app.get(`${uploadLinkPrefix}:id/:linkToken`, { schema: { hide: true } }, async (request, reply) => {
    const link = params.safeParse(request.params);
    // A link too long to be one of ours names nothing, as a wrong one does.
    const file = link.success ? await uploads.open(link.data.id, link.data.linkToken) : null;
    if (!file) throw new GatewayError('NOT_FOUND', 'No such upload, or it has expired');
    return reply.type(file.contentType).header('content-length', file.bytes).send(createReadStream(file.path));
  });
}

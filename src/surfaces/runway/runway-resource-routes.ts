import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { checkMediaReferences, type MediaReferenceChecks } from '../../uploads/media-references.ts';
import { avatarUsageQuery } from './resources/avatar-usage.ts';
import { avatarCreateBody, avatarUpdateBody, documentCreateBody, documentListQuery, documentUpdateBody, listQuery, sessionCreateBody } from './resources/resource-schemas.ts';
import type { AccountResources } from './resources/runway-resources.ts';

const byId = z.object({ id: z.string().min(1).max(100) });
const tags = ['Runway-compatible'];

/** Routes that authenticate themselves (a session key, an upload form's token) rather than with an API key. */
export const authenticatesItself = { authenticatesItself: true };

/** Avatars, documents and sessions per caller, and what an avatar's reference image is checked against. */
export interface RunwayResourceRouteDependencies extends MediaReferenceChecks {
  runwayResources: Pick<AccountResources, 'for' | 'createSession' | 'consumeSession'>;
}

const bearerOf = (request: FastifyRequest) => /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';

/** Runway's avatars, knowledge documents and realtime sessions: the sandbox's for test keys, Runway's for live ones. */
export function runwayResourceRoutes(dependencies: RunwayResourceRouteDependencies): FastifyPluginAsyncZod {
  const { runwayResources } = dependencies;
  return async (app) => {
    const resources = (request: FastifyRequest) => runwayResources.for(request.caller!);
    const account = (request: FastifyRequest) => request.caller!.accountId;

    /** An avatar's image goes through what `generate`'s media do: the outbound URL policy, and only the caller's own uploads. */
    const checkReferenceImage = (request: FastifyRequest, { referenceImage }: { referenceImage?: string }) =>
      referenceImage ? checkMediaReferences(dependencies, account(request), [['referenceImage', referenceImage]]) : Promise.resolve();

    app.post('/v1/avatars', { schema: { summary: 'Create an avatar', tags, body: avatarCreateBody } }, async (request) => {
      await checkReferenceImage(request, request.body);
      return resources(request).createAvatar(account(request), request.body);
    });
    app.get('/v1/avatars', { schema: { summary: "The account's avatars", tags, querystring: listQuery } }, (request) => resources(request).listAvatars(account(request), request.query));
    app.get('/v1/avatars/:id', { schema: { summary: 'An avatar', tags, params: byId } }, (request) => resources(request).getAvatar(account(request), request.params.id));
    app.patch('/v1/avatars/:id', { schema: { summary: 'Update an avatar', tags, params: byId, body: avatarUpdateBody } }, async (request) => {
      await checkReferenceImage(request, request.body);
      return resources(request).updateAvatar(account(request), request.params.id, request.body);
    });
    app.delete('/v1/avatars/:id', { schema: { summary: 'Delete an avatar', tags, params: byId } }, async (request, reply) => {
      await resources(request).deleteAvatar(account(request), request.params.id);
      return reply.code(204).send();
    });

    app.get('/v1/avatar_usage', { schema: { summary: "The account's avatar conversations: totals and per day (up to 90 days)", tags, querystring: avatarUsageQuery } }, (request) =>
      resources(request).avatarUsage(account(request), request.query),
    );

    app.post('/v1/documents', { schema: { summary: 'Create a knowledge document', tags, body: documentCreateBody } }, (request) => resources(request).createDocument(account(request), request.body));
    app.get('/v1/documents', { schema: { summary: "The account's documents", tags, querystring: documentListQuery } }, (request) => resources(request).listDocuments(account(request), request.query));
    app.get('/v1/documents/:id', { schema: { summary: 'A document', tags, params: byId } }, (request) => resources(request).getDocument(account(request), request.params.id));
    app.patch('/v1/documents/:id', { schema: { summary: 'Update a document', tags, params: byId, body: documentUpdateBody } }, async (request, reply) => {
      await resources(request).updateDocument(account(request), request.params.id, request.body);
      return reply.code(204).send();
    });
    app.delete('/v1/documents/:id', { schema: { summary: 'Delete a document', tags, params: byId } }, async (request, reply) => {
      await resources(request).deleteDocument(account(request), request.params.id);
      return reply.code(204).send();
    });

    app.post('/v1/realtime_sessions', { schema: { summary: 'Start a realtime avatar session', tags, body: sessionCreateBody } }, (request) =>
      runwayResources.createSession(request.caller!, request.body),
    );
    app.get('/v1/realtime_sessions/:id', { schema: { summary: 'A realtime session', tags, params: byId } }, (request) => resources(request).getSession(account(request), request.params.id));
    app.delete('/v1/realtime_sessions/:id', { schema: { summary: 'End a realtime session', tags, params: byId } }, async (request, reply) => {
      await resources(request).deleteSession(account(request), request.params.id);
      return reply.code(204).send();
    });
    app.post(
      '/v1/realtime_sessions/:id/consume',
      { config: authenticatesItself, schema: { summary: "Trade a READY session's key (as the Bearer token) for WebRTC credentials, once", tags, params: byId } },
      async (request) => {
        const sessionKey = bearerOf(request);
        if (!sessionKey) throw new GatewayError('UNAUTHENTICATED', "Missing session key: send Authorization: Bearer <the session's sessionKey>");
        return runwayResources.consumeSession(request.params.id, sessionKey);
      },
    );
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RecordedRequest, Send } from './fake-server.ts';

/**
 * Runway's account resources as its API reference and @runwayml/sdk 4.20.1 types describe them: ephemeral uploads
 * (a form posted to storage without the API key), avatars, knowledge documents, realtime sessions with a one-time
 * `consume`, and credit usage. Part of the fake Runway; the task endpoints live in fake-runway.ts.
 */

const livePresets = [
  'victoria',
  'vincent',
  'clara',
  'drew',
  'skye',
  'max',
  'morgan',
  'felix',
  'mia',
  'marcus',
  'summer',
  'ruby',
  'aurora',
  'jasper',
  'leo',
  'adrian',
  'nina',
  'emma',
  'blake',
  'david',
  'maya',
  'nathan',
  'sam',
  'georgia',
  'petra',
  'adam',
  'zach',
  'violet',
  'roman',
  'luna',
] as const;
const imageUri = z.string().refine((value) => /^(https:\/\/|data:image\/|runway:\/\/)/.test(value), 'must be an HTTPS URL, an image data URI or a runway:// URI');
const avatarVoice = z.union([z.strictObject({ type: z.literal('runway-live-preset'), presetId: z.enum(livePresets) }), z.strictObject({ type: z.literal('custom'), id: z.string() })]);
const avatarFields = {
  name: z.string().min(1),
  personality: z.string().min(1),
  referenceImage: imageUri,
  voice: avatarVoice,
  documentIds: z.array(z.string()).optional(),
  imageProcessing: z.enum(['optimize', 'none']).optional(),
  startScript: z.string().optional(),
};
const avatarCreate = z.strictObject(avatarFields);
const avatarUpdate = z.strictObject({ ...avatarFields, startScript: z.string().nullable() }).partial();
const documentCreate = z.strictObject({ name: z.string().min(1), content: z.string().min(1) });
const sessionCreate = z.object({
  model: z.literal('gwm1_avatars'),
  avatar: z.union([
    z.strictObject({
      type: z.literal('runway-preset'),
      presetId: z.enum(['game-character', 'music-superstar', 'game-character-man', 'cat-character', 'influencer', 'tennis-coach', 'human-resource', 'fashion-designer', 'cooking-teacher']),
    }),
    z.strictObject({ type: z.literal('custom'), avatarId: z.string() }),
  ]),
  maxDuration: z.number().int().optional(),
  personality: z.string().optional(),
  startScript: z.string().optional(),
  tools: z.array(z.unknown()).optional(),
});
const uploadCreate = z.strictObject({ filename: z.string().min(1), type: z.literal('ephemeral') });

interface Session {
  id: string;
  createdAt: string;
  polls: number;
  sessionKey: string;
  consumed: boolean;
  cancelled: boolean;
}

const now = () => new Date().toISOString();

/** Runway's cursor pages: `limit` items from the cursor, and the next cursor while more remain. */
function page<Item>(items: Item[], query: URLSearchParams) {
  const offset = Number(query.get('cursor') ?? 0);
  const limit = Number(query.get('limit') ?? 50);
  return { data: items.slice(offset, offset + limit), nextCursor: offset + limit < items.length ? String(offset + limit) : null };
}

export function fakeRunwayAccount() {
  const uploads = new Map<string, { filename: string; policy: string; runwayUri: string; file?: { filename: string; type: string; size: number } }>();
  const avatars = new Map<string, Record<string, unknown> & { id: string; polls: number }>();
  const documents = new Map<string, { id: string; name: string; content: string; createdAt: string; updatedAt: string }>();
  const sessions = new Map<string, Session>();
  const invalid = (send: Send, issues: unknown) => send(400, { error: 'Validation of body failed', issues });

  const avatarView = ({ polls, ...avatar }: Record<string, unknown> & { polls: number }) => ({ ...avatar, status: polls > 0 ? 'READY' : 'PROCESSING' });
  const documentView = (document: { id: string; name: string; content: string; createdAt: string; updatedAt: string }) => ({
    ...document,
    type: 'text',
    usedBy: [...avatars.values()].filter((avatar) => (avatar.documentIds as string[]).includes(document.id)).map((avatar) => ({ id: avatar.id, name: avatar.name, imageUrl: null })),
  });

  function sessionView(session: Session) {
    const base = { id: session.id, createdAt: session.createdAt };
    if (session.cancelled) return { ...base, status: 'CANCELLED' };
    if (session.consumed) return session.polls > 0 ? { ...base, status: 'COMPLETED', duration: 42 } : { ...base, status: 'RUNNING' };
    return session.polls === 0 ? { ...base, status: 'NOT_READY', queued: false } : { ...base, status: 'READY', sessionKey: session.sessionKey, expiresAt: new Date(Date.now() + 60_000).toISOString() };
  }

  function avatars_(request: RecordedRequest, send: Send, id: string | undefined) {
    if (!id && request.method === 'GET') return send(200, page([...avatars.values()].map(avatarView), request.query));
    if (!id && request.method === 'POST') {
      const parsed = avatarCreate.safeParse(request.body);
      if (!parsed.success) return invalid(send, parsed.error.issues);
      if ((parsed.data.documentIds ?? []).some((documentId) => !documents.has(documentId))) return send(400, { error: 'Unknown document id' });
      const avatar = {
        id: randomUUID(),
        ...parsed.data,
        documentIds: parsed.data.documentIds ?? [],
        startScript: parsed.data.startScript ?? null,
        referenceImageUri: parsed.data.referenceImage,
        processedImageUri: null,
        createdAt: now(),
        updatedAt: now(),
        polls: 0,
      };
      avatars.set(avatar.id, avatar);
      return send(200, avatarView(avatar));
    }
    const avatar = id ? avatars.get(id) : undefined;
    if (!avatar) return send(404, { error: 'Avatar not found' });
    if (request.method === 'DELETE') {
      avatars.delete(avatar.id);
      return send(204);
    }
    if (request.method === 'PATCH') {
      const parsed = avatarUpdate.safeParse(request.body);
      if (!parsed.success || Object.keys(parsed.data).length === 0) return invalid(send, parsed.error?.issues ?? 'at least one field');
      Object.assign(avatar, parsed.data, { updatedAt: now() });
      return send(200, avatarView(avatar));
    }
    const view = avatarView(avatar);
    avatar.polls++;
    return send(200, view);
  }

  function documents_(request: RecordedRequest, send: Send, id: string | undefined) {
    if (!id && request.method === 'GET') {
      if (!['asc', 'desc'].includes(request.query.get('order') ?? '') || !['createdAt', 'updatedAt'].includes(request.query.get('sort') ?? ''))
        return send(400, { error: 'order and sort are required' });
      return send(
        200,
        page(
          [...documents.values()].map(({ content: _content, ...rest }) => documentView({ ...rest, content: '' })),
          request.query,
        ),
      );
    }
    if (!id && request.method === 'POST') {
      const parsed = documentCreate.safeParse(request.body);
      if (!parsed.success) return invalid(send, parsed.error.issues);
      const document = { id: randomUUID(), ...parsed.data, createdAt: now(), updatedAt: now() };
      documents.set(document.id, document);
      return send(200, documentView(document));
    }
    const document = id ? documents.get(id) : undefined;
    if (!document) return send(404, { error: 'Document not found' });
    if (request.method === 'DELETE') {
      documents.delete(document.id);
      return send(204);
    }
    if (request.method === 'PATCH') {
      const parsed = documentCreate.partial().safeParse(request.body);
      if (!parsed.success) return invalid(send, parsed.error.issues);
      Object.assign(document, parsed.data, { updatedAt: now() });
      return send(204);
    }
    return send(200, documentView(document));
  }

  function sessions_(request: RecordedRequest, send: Send, id: string | undefined, consume: boolean) {
    if (!id && request.method === 'POST') {
      const parsed = sessionCreate.safeParse(request.body);
      if (!parsed.success) return invalid(send, parsed.error.issues);
      if (parsed.data.avatar.type === 'custom' && !avatars.has(parsed.data.avatar.avatarId)) return send(400, { error: 'Unknown avatar' });
      const session: Session = { id: randomUUID(), createdAt: now(), polls: 0, sessionKey: randomBytes(16).toString('hex'), consumed: false, cancelled: false };
      sessions.set(session.id, session);
      return send(200, { id: session.id });
    }
    const session = id ? sessions.get(id) : undefined;
    if (!session) return send(404, { error: 'Session not found' });
    if (consume) {
      if (request.headers.authorization !== `Bearer ${session.sessionKey}` || session.consumed || session.polls === 0) return send(401, { error: 'Invalid session key' });
      session.consumed = true;
      session.polls = 0;
      return send(200, {
        url: 'wss://livekit.fake.invalid',
        token: `${randomBytes(8).toString('hex')}.${randomBytes(8).toString('hex')}.${randomBytes(8).toString('hex')}`,
        roomName: `room-${session.id}`,
      });
    }
    if (request.method === 'DELETE') {
      session.cancelled = true;
      return send(204);
    }
    const view = sessionView(session);
    session.polls++;
    return send(200, view);
  }

  return {
    uploads,
    avatars,
    documents,
    sessions,
    /** Is this a runway:// URI this server issued for an uploaded file? */
    knowsUpload: (uri: string) => [...uploads.values()].some((upload) => upload.runwayUri === uri && upload.file),
    /** The storage form's POST, which carries no API key: its policy field is the credential. */
    storage(request: RecordedRequest, send: Send, uploadId: string) {
      const upload = uploads.get(uploadId);
      const form = request.body as Record<string, unknown> | null;
      if (!upload || form?.key !== uploadId || form.policy !== upload.policy) return send(403, { error: 'AccessDenied' });
      const file = form.file as { filename: string; type: string; size: number } | undefined;
      if (!file || file.size === 0) return send(400, { error: 'A file field is required' });
      upload.file = file;
      return send(204);
    },
    /** Handles the account endpoints; answers false when the path is not one of them. */
    handle(request: RecordedRequest, send: Send, route: string, origin: string): boolean {
      const match = /^\/v1\/(avatars|documents|realtime_sessions|uploads|organization\/usage)(?:\/([^/]+))?(\/consume)?$/.exec(route);
      if (!match) return false;
      const [, resource, id, consume] = match;
      if (resource === 'uploads' && request.method === 'POST' && !id) {
        const parsed = uploadCreate.safeParse(request.body);
        if (!parsed.success) {
          invalid(send, parsed.error.issues);
          return true;
        }
        const uploadId = randomUUID();
        const upload = { filename: parsed.data.filename, policy: randomBytes(12).toString('hex'), runwayUri: `runway://${uploadId}/${parsed.data.filename}` };
        uploads.set(uploadId, upload);
        send(200, { uploadUrl: `${origin}/storage/${uploadId}`, fields: { key: uploadId, policy: upload.policy }, runwayUri: upload.runwayUri });
      } else if (resource === 'organization/usage' && request.method === 'POST') send(200, { models: [], results: [] });
      else if (resource === 'avatars') avatars_(request, send, id);
      else if (resource === 'documents') documents_(request, send, id);
      else if (resource === 'realtime_sessions') sessions_(request, send, id, Boolean(consume));
      else send(404, { error: 'Not found' });
      return true;
    },
  };
}

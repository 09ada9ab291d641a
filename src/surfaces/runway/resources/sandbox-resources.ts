import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { GatewayError } from '../../../errors/gateway-error.ts';
import { randomToken } from '../../../shared/ids.ts';
import { type AvatarUsageQuery, avatarUsage } from './avatar-usage.ts';
import type { AvatarCreate, AvatarUpdate, DocumentCreate, DocumentListQuery, DocumentUpdate, ListQuery, SessionCreate } from './resource-schemas.ts';
import { pageOf, type ResourceStore } from './resource-store.ts';
import type { RunwayResources } from './runway-resources.ts';

interface AvatarRecord extends AvatarCreate {
  id: string;
  documentIds: string[];
  createdAt: number;
  updatedAt: number;
  readyAt: number;
}

interface DocumentRecord extends DocumentCreate {
  id: string;
  createdAt: number;
  updatedAt: number;
}

interface SessionRecord {
  id: string;
  createdAt: number;
  readyAt: number;
  expiresAt: number;
  sessionKey: string;
  avatar: SessionCreate['avatar'];
  consumedAt?: number;
  cancelledAt?: number;
}

export interface SandboxResourceSettings {
  /** How long an avatar processes and a session takes to be ready, and how long a sandbox conversation lasts. */
  latencyMs: number;
  now(): number;
}

const iso = (at: number) => new Date(at).toISOString();
const notFound = (what: string, id: string) => new GatewayError('NOT_FOUND', `${what} ${id} not found`);
/** How long a READY session waits to be joined before its credentials expire. */
const sessionJoinWindowMs = 60_000;

/** What a test key's avatars, documents and sessions do: kept in Redis, ready after the sandbox's latency, never charged. */
export class SandboxResources implements RunwayResources {
  constructor(
    private readonly store: ResourceStore,
    private readonly settings: SandboxResourceSettings,
  ) {}

  private async requireDocuments(accountId: string, ids: string[] | undefined) {
    for (const [index, id] of (ids ?? []).entries()) {
      if (!(await this.store.get(accountId, 'documents', id))) {
        throw new GatewayError('INVALID_INPUT', `documentIds.${index}: no document ${id}`, { details: { field: `documentIds.${index}` } });
      }
    }
  }

  private async avatarRecord(accountId: string, id: string): Promise<AvatarRecord> {
    const avatar = await this.store.get<AvatarRecord>(accountId, 'avatars', id);
    if (!avatar) throw notFound('Avatar', id);
    return avatar;
  }

  private avatarView(avatar: AvatarRecord) {
    const voice =
      avatar.voice.type === 'runway-live-preset'
        ? { ...avatar.voice, name: avatar.voice.presetId[0]!.toUpperCase() + avatar.voice.presetId.slice(1), description: 'A Runway live voice preset' }
        : { ...avatar.voice, deleted: false };
    const imageUri = avatar.referenceImage.startsWith('data:') ? null : avatar.referenceImage;
    const ready = this.settings.now() >= avatar.readyAt;
    return {
      id: avatar.id,
      name: avatar.name,
      personality: avatar.personality,
      documentIds: avatar.documentIds,
      startScript: avatar.startScript ?? null,
      referenceImageUri: imageUri,
      processedImageUri: ready ? imageUri : null,
      voice,
      status: ready ? 'READY' : 'PROCESSING',
      createdAt: iso(avatar.createdAt),
      updatedAt: iso(avatar.updatedAt),
    };
  }

  async createAvatar(accountId: string, body: AvatarCreate) {
    await this.requireDocuments(accountId, body.documentIds);
    const now = this.settings.now();
    const avatar: AvatarRecord = { ...body, id: crypto.randomUUID(), documentIds: body.documentIds ?? [], createdAt: now, updatedAt: now, readyAt: now + this.settings.latencyMs };
    await this.store.put(accountId, 'avatars', avatar.id, avatar);
    return this.avatarView(avatar);
  }

  async getAvatar(accountId: string, id: string) {
    return this.avatarView(await this.avatarRecord(accountId, id));
  }

  async updateAvatar(accountId: string, id: string, body: AvatarUpdate) {
    const avatar = await this.avatarRecord(accountId, id);
    await this.requireDocuments(accountId, body.documentIds);
    const now = this.settings.now();
    const { startScript, ...rest } = body;
    const updated: AvatarRecord = {
      ...avatar,
      ...rest,
      ...(startScript !== undefined ? { startScript: startScript ?? undefined } : {}),
      updatedAt: now,
      // A new face is processed again.
      readyAt: body.referenceImage ? now + this.settings.latencyMs : avatar.readyAt,
    };
    await this.store.put(accountId, 'avatars', id, updated);
    return this.avatarView(updated);
  }

  async deleteAvatar(accountId: string, id: string) {
    if (!(await this.store.remove(accountId, 'avatars', id))) throw notFound('Avatar', id);
  }

  async listAvatars(accountId: string, query: ListQuery) {
    const avatars = (await this.store.all<AvatarRecord>(accountId, 'avatars')).sort((a, b) => b.createdAt - a.createdAt);
    const page = pageOf(avatars, query);
    return { ...page, data: page.data.map((avatar) => this.avatarView(avatar)) };
  }

  private async documentView(accountId: string, document: DocumentRecord, withContent = true) {
    const avatars = await this.store.all<AvatarRecord>(accountId, 'avatars');
    const usedBy = avatars.filter((avatar) => avatar.documentIds.includes(document.id)).map((avatar) => ({ id: avatar.id, name: avatar.name, imageUrl: this.avatarView(avatar).processedImageUri }));
    const { content, ...rest } = document;
    return { ...rest, ...(withContent ? { content } : {}), type: 'text', usedBy, createdAt: iso(document.createdAt), updatedAt: iso(document.updatedAt) };
  }

  private async documentRecord(accountId: string, id: string): Promise<DocumentRecord> {
    const document = await this.store.get<DocumentRecord>(accountId, 'documents', id);
    if (!document) throw notFound('Document', id);
    return document;
  }

  async createDocument(accountId: string, body: DocumentCreate) {
    const now = this.settings.now();
    const document: DocumentRecord = { ...body, id: crypto.randomUUID(), createdAt: now, updatedAt: now };
    await this.store.put(accountId, 'documents', document.id, document);
    return this.documentView(accountId, document);
  }

  async getDocument(accountId: string, id: string) {
    return this.documentView(accountId, await this.documentRecord(accountId, id));
  }

  async updateDocument(accountId: string, id: string, body: DocumentUpdate) {
    const document = await this.documentRecord(accountId, id);
    await this.store.put(accountId, 'documents', id, { ...document, ...body, updatedAt: this.settings.now() });
  }

  async deleteDocument(accountId: string, id: string) {
    if (!(await this.store.remove(accountId, 'documents', id))) throw notFound('Document', id);
  }

  async listDocuments(accountId: string, query: DocumentListQuery) {
    const direction = query.order === 'asc' ? 1 : -1;
    const documents = (await this.store.all<DocumentRecord>(accountId, 'documents')).sort((a, b) => direction * (a[query.sort] - b[query.sort]));
    const page = pageOf(documents, query);
    return { ...page, data: await Promise.all(page.data.map((document) => this.documentView(accountId, document, false))) };
  }

  async createSession(accountId: string, body: SessionCreate) {
    if (body.avatar.type === 'custom') await this.avatarRecord(accountId, body.avatar.avatarId);
    const now = this.settings.now();
    const readyAt = now + this.settings.latencyMs;
    const session: SessionRecord = {
      id: crypto.randomUUID(),
      createdAt: now,
      readyAt,
      expiresAt: readyAt + sessionJoinWindowMs,
      sessionKey: `rsk_${randomToken(32)}`,
      avatar: body.avatar,
    };
    await this.store.put(accountId, 'realtime_sessions', session.id, session);
    return { id: session.id };
  }

  private async sessionRecord(accountId: string, id: string): Promise<SessionRecord> {
    const session = await this.store.get<SessionRecord>(accountId, 'realtime_sessions', id);
    if (!session) throw notFound('Realtime session', id);
    return session;
  }

  /** NOT_READY until the sandbox's latency has passed, READY until joined, RUNNING for one sandbox latency after `consume`, then COMPLETED. */
  private sessionView(session: SessionRecord) {
    const now = this.settings.now();
    const base = { id: session.id, createdAt: iso(session.createdAt) };
    if (session.cancelledAt !== undefined) return { ...base, status: 'CANCELLED' };
    if (session.consumedAt !== undefined) {
      const endsAt = session.consumedAt + this.settings.latencyMs;
      return now < endsAt ? { ...base, status: 'RUNNING' } : { ...base, status: 'COMPLETED', duration: Math.max(1, Math.round(this.settings.latencyMs / 1000)) };
    }
    if (now < session.readyAt) return { ...base, status: 'NOT_READY', queued: false };
    if (now < session.expiresAt) return { ...base, status: 'READY', sessionKey: session.sessionKey, expiresAt: iso(session.expiresAt) };
    return { ...base, status: 'FAILED', failure: 'Nobody joined the session before its credentials expired', failureCode: 'SESSION.EXPIRED' };
  }

  async getSession(accountId: string, id: string) {
    return this.sessionView(await this.sessionRecord(accountId, id));
  }

  async deleteSession(accountId: string, id: string) {
    const session = await this.sessionRecord(accountId, id);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(this.sessionView(session).status)) return;
    await this.store.put(accountId, 'realtime_sessions', id, { ...session, cancelledAt: this.settings.now() });
  }

  async avatarUsage(accountId: string, query: AvatarUsageQuery) {
    const sessions = await this.store.all<SessionRecord>(accountId, 'realtime_sessions');
    return avatarUsage(
      sessions.map((session) => {
        const view = this.sessionView(session);
        return { createdAt: session.createdAt, seconds: 'duration' in view ? view.duration : undefined };
      }),
      query,
    );
  }

  async consumeSession(accountId: string, id: string, sessionKey: string) {
    const session = await this.sessionRecord(accountId, id);
    if (session.sessionKey !== sessionKey || this.sessionView(session).status !== 'READY') {
      throw new GatewayError('UNAUTHENTICATED', 'the session key is not valid for this session, or was already used');
    }
    await this.store.put(accountId, 'realtime_sessions', id, { ...session, consumedAt: this.settings.now() });
    return sandboxRoomCredentials(id);
  }
}

/** LiveKit-style room credentials: a signed access token for a room nobody serves (the sandbox has no media server). */
async function sandboxRoomCredentials(sessionId: string) {
  const roomName = `genway-sandbox-${sessionId}`;
  const token = await new SignJWT({ video: { room: roomName, roomJoin: true, canPublish: true, canSubscribe: true } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('genway-sandbox')
    .setSubject(`client-${sessionId}`)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(randomBytes(32));
  return { url: 'wss://sandbox.genway.invalid', token, roomName };
}

import { GatewayError } from '../../../errors/gateway-error.ts';
import type { AvatarUsageQuery, avatarUsage } from './avatar-usage.ts';
import type { AvatarCreate, AvatarUpdate, DocumentCreate, DocumentListQuery, DocumentUpdate, ListQuery, SessionCreate } from './resource-schemas.ts';
import type { Page } from './resource-store.ts';

/**
 * Runway's avatars, knowledge documents and realtime sessions, per account: kept by the sandbox for test keys,
 * proxied to Runway for live keys. Bodies are Runway's own shapes; a missing or foreign id is NOT_FOUND.
 */
export interface RunwayResources {
  createAvatar(accountId: string, body: AvatarCreate): Promise<unknown>;
  getAvatar(accountId: string, id: string): Promise<unknown>;
  updateAvatar(accountId: string, id: string, body: AvatarUpdate): Promise<unknown>;
  deleteAvatar(accountId: string, id: string): Promise<void>;
  listAvatars(accountId: string, query: ListQuery): Promise<Page<unknown>>;
  createDocument(accountId: string, body: DocumentCreate): Promise<unknown>;
  getDocument(accountId: string, id: string): Promise<unknown>;
  updateDocument(accountId: string, id: string, body: DocumentUpdate): Promise<void>;
  deleteDocument(accountId: string, id: string): Promise<void>;
  listDocuments(accountId: string, query: DocumentListQuery): Promise<Page<unknown>>;
  createSession(accountId: string, body: SessionCreate): Promise<{ id: string }>;
  getSession(accountId: string, id: string): Promise<unknown>;
  deleteSession(accountId: string, id: string): Promise<void>;
  /** Trades a READY session's key, once, for the WebRTC room credentials. */
  consumeSession(accountId: string, id: string, sessionKey: string): Promise<unknown>;
  /** The account's avatar conversations in a date range: totals and per day. */
  avatarUsage(accountId: string, query: AvatarUsageQuery): Promise<ReturnType<typeof avatarUsage>>;
}

export interface ResourceCaller {
  accountId: string;
  mode: 'live' | 'test';
}

/** How long `consume` can find a session's account: past any session's end. */
const sessionOwnerTtlMs = 24 * 60 * 60_000;

/** Sends each caller to the sandbox (test keys) or to Runway (live keys), and finds a session's owner for `consume`. */
export class AccountResources {
  constructor(
    private readonly backends: { test: RunwayResources; live: RunwayResources | null },
    private readonly sessionOwners: { remember(sessionId: string, owner: string, ttlMs: number): Promise<void>; find(sessionId: string): Promise<string | null> },
  ) {}

  for(caller: ResourceCaller): RunwayResources {
    const backend = this.backends[caller.mode];
    if (!backend) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Runway is not configured for live keys (RUNWAY_API_KEY)');
    return backend;
  }

  async createSession(caller: ResourceCaller, body: SessionCreate): Promise<{ id: string }> {
    const created = await this.for(caller).createSession(caller.accountId, body);
    await this.sessionOwners.remember(created.id, `${caller.mode}:${caller.accountId}`, sessionOwnerTtlMs);
    return created;
  }

  /** `consume` carries only the session's key: the session's own record says whose it is. */
  async consumeSession(sessionId: string, sessionKey: string): Promise<unknown> {
    const owner = await this.sessionOwners.find(sessionId);
    if (!owner) throw new GatewayError('NOT_FOUND', `Realtime session ${sessionId} not found`);
    const [mode, accountId] = owner.split(':') as ['live' | 'test', string];
    return this.for({ mode, accountId }).consumeSession(accountId, sessionId, sessionKey);
  }
}

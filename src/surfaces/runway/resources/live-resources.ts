import { GatewayError } from '../../../errors/gateway-error.ts';
import type { RunwayAccountApi } from '../../../providers/runway/runway-account-api.ts';
import { type AvatarUsageQuery, avatarUsage } from './avatar-usage.ts';
import type { AvatarCreate, AvatarUpdate, DocumentCreate, DocumentListQuery, DocumentUpdate, ListQuery, SessionCreate } from './resource-schemas.ts';
import { pageOf, type ResourceKind, type ResourceStore } from './resource-store.ts';
import type { RunwayResources } from './runway-resources.ts';
import type { SessionCharges } from './session-charges.ts';

interface Owned {
  id: string;
  createdAt: number;
  /** A realtime session's reservation, settled when it is first seen ended. */
  reservedCredits?: number;
  /** How long a realtime session ran, once it is seen ended (for avatar usage). */
  seconds?: number;
}

const endedSessionStatuses = ['COMPLETED', 'FAILED', 'CANCELLED'];

/**
 * A live key's avatars, documents and sessions live at Runway under the operator's one Runway account: genway
 * records which of its accounts made each, and answers NOT_FOUND for anything another account made.
 */
export class LiveResources implements RunwayResources {
  constructor(
    private readonly runway: RunwayAccountApi,
    private readonly owners: ResourceStore,
    private readonly charges: SessionCharges,
    private readonly now: () => number,
  ) {}

  private async create(accountId: string, kind: ResourceKind, body: unknown, extra: Partial<Owned> = {}): Promise<{ id: string }> {
    const created = (await this.runway.call('POST', `/v1/${kind}`, { body })) as { id?: unknown };
    if (typeof created?.id !== 'string') throw new GatewayError('PROVIDER_UNAVAILABLE', `Runway answered a ${kind} create without an id`);
    await this.owners.put(accountId, kind, created.id, { id: created.id, createdAt: this.now(), ...extra } satisfies Owned);
    return created as { id: string };
  }

  private async requireOwned(accountId: string, kind: ResourceKind, id: string): Promise<Owned> {
    const owned = await this.owners.get<Owned>(accountId, kind, id);
    if (!owned) throw new GatewayError('NOT_FOUND', `${kind} ${id} not found`);
    return owned;
  }

  private async forward(accountId: string, kind: ResourceKind, method: 'GET' | 'PATCH' | 'DELETE', id: string, body?: unknown) {
    await this.requireOwned(accountId, kind, id);
    const answer = await this.runway.call(method, `/v1/${kind}/${encodeURIComponent(id)}`, { body });
    if (method === 'DELETE' && kind !== 'realtime_sessions') await this.owners.remove(accountId, kind, id);
    return answer;
  }

  /** The account's own items, newest first, each read from Runway. */
  private async list(accountId: string, kind: ResourceKind, query: ListQuery) {
    const owned = (await this.owners.all<Owned>(accountId, kind)).sort((a, b) => b.createdAt - a.createdAt);
    const page = pageOf(owned, query);
    return { ...page, data: await Promise.all(page.data.map(({ id }) => this.runway.call('GET', `/v1/${kind}/${encodeURIComponent(id)}`))) };
  }

  private async requireDocuments(accountId: string, ids: string[] | undefined) {
    for (const id of ids ?? []) await this.requireOwned(accountId, 'documents', id);
  }

  async createAvatar(accountId: string, body: AvatarCreate) {
    await this.requireDocuments(accountId, body.documentIds);
    return this.create(accountId, 'avatars', body);
  }
  getAvatar = (accountId: string, id: string) => this.forward(accountId, 'avatars', 'GET', id);
  async updateAvatar(accountId: string, id: string, body: AvatarUpdate) {
    await this.requireDocuments(accountId, body.documentIds);
    return this.forward(accountId, 'avatars', 'PATCH', id, body);
  }
  deleteAvatar = async (accountId: string, id: string) => void (await this.forward(accountId, 'avatars', 'DELETE', id));
  listAvatars = (accountId: string, query: ListQuery) => this.list(accountId, 'avatars', query);

  createDocument = (accountId: string, body: DocumentCreate) => this.create(accountId, 'documents', body);
  getDocument = (accountId: string, id: string) => this.forward(accountId, 'documents', 'GET', id);
  updateDocument = async (accountId: string, id: string, body: DocumentUpdate) => void (await this.forward(accountId, 'documents', 'PATCH', id, body));
  deleteDocument = async (accountId: string, id: string) => void (await this.forward(accountId, 'documents', 'DELETE', id));
  listDocuments = (accountId: string, query: DocumentListQuery) => this.list(accountId, 'documents', query);

  /** A session reserves credits for its longest length once Runway has made it; without them it is ended at once. */
  async createSession(accountId: string, body: SessionCreate) {
    if (body.avatar.type === 'custom') await this.requireOwned(accountId, 'avatars', body.avatar.avatarId);
    const reservedCredits = this.charges.reservationFor(body.maxDuration);
    const created = await this.create(accountId, 'realtime_sessions', body, { reservedCredits });
    try {
      await this.charges.reserve(accountId, created.id, reservedCredits);
    } catch (error) {
      await this.runway.call('DELETE', `/v1/realtime_sessions/${encodeURIComponent(created.id)}`).catch(() => {});
      await this.owners.remove(accountId, 'realtime_sessions', created.id);
      throw error;
    }
    return created;
  }

  async getSession(accountId: string, id: string) {
    const owned = await this.requireOwned(accountId, 'realtime_sessions', id);
    const session = (await this.runway.call('GET', `/v1/realtime_sessions/${encodeURIComponent(id)}`)) as { status?: string; duration?: number };
    if (endedSessionStatuses.includes(session.status ?? '') && owned.seconds === undefined) {
      const seconds = session.status === 'COMPLETED' ? (session.duration ?? 0) : 0;
      if (owned.reservedCredits) await this.charges.settle(accountId, id, owned.reservedCredits, seconds);
      await this.owners.put(accountId, 'realtime_sessions', id, { ...owned, seconds } satisfies Owned);
    }
    return session;
  }

  async deleteSession(accountId: string, id: string) {
    await this.forward(accountId, 'realtime_sessions', 'DELETE', id);
    await this.getSession(accountId, id);
  }
  /** From genway's own records: Runway's usage report covers the operator's whole Runway account, not one of ours. */
  async avatarUsage(accountId: string, query: AvatarUsageQuery) {
    return avatarUsage(await this.owners.all<Owned>(accountId, 'realtime_sessions'), query);
  }

  async consumeSession(accountId: string, id: string, sessionKey: string) {
    await this.requireOwned(accountId, 'realtime_sessions', id);
    return this.runway.call('POST', `/v1/realtime_sessions/${encodeURIComponent(id)}/consume`, { bearer: sessionKey });
  }
}

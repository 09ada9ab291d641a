import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { registerScripts } from '../redis/redis-scripts.ts';
import { newAccountId } from '../shared/ids.ts';
import { hashApiKey, type KeyMode, keyModeOf, newApiKey, newWebhookSecret } from './api-keys.ts';
import { type LedgerKind, ledgerLength } from './ledger.ts';
import { type LimitOverrides, limitsFor, type Plan, type PlanLimits } from './plans.ts';
import { minuteWindowMs, type RateLimitState } from './rate-limits.ts';

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  credits: number;
  createdAt: number;
  webhookSecret: string;
  limits: PlanLimits;
  /** A disabled account's keys are refused (403) until it is enabled again; nothing else changes. */
  disabled: boolean;
}

export type CreditGrant = { ok: true; credits: number } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'would-go-negative'; credits: number };

/** What a cached key stands for: its principal without the rate-limit window, or a disabled account. */
type CachedAuthentication = Omit<Principal, 'rateLimit'> | 'disabled';

/** What authenticating a key found: its account's principal, no such key, or a disabled account. */
export type Authentication = Principal | null | 'disabled';

export interface IssuedCredentials {
  accountId: string;
  liveKey: string;
  testKey: string;
  webhookSecret: string;
}

export interface Principal {
  accountId: string;
  mode: KeyMode;
  limits: PlanLimits;
  /**
   * The per-minute window as it stood when the request arrived, for the X-RateLimit-* headers; null when the key was
   * known already (cached), in which case whatever answers the request reads it.
   */
  rateLimit: RateLimitState | null;
}

interface ScriptedRedis extends Redis {
  genwayGrantCredits(accountKey: string, ledgerKey: string, amount: number, now: number, ...entry: [kind: LedgerKind, reference: string] | []): Promise<[number, number] | null>;
  genwayAuthenticate(apiKeyKey: string, accountTemplate: string, minuteWindowTemplate: string, placeholder: string, now: number): Promise<string[] | 0 | null>;
}

/** Stands for the account id in key templates the authenticate script fills in (no Lua pattern characters). */
const accountIdPlaceholder = 'ACCOUNT_ID';

const optionalNumber = (value: string | undefined) => (value ? Number(value) : undefined);

export class AccountRepository {
  private readonly redis: ScriptedRedis;

  /** Keys seen lately, by hash: a repeated key skips a round trip until the cache forgets it or an account changes. */
  private readonly principals: LRUCache<string, CachedAuthentication> | null;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
    options: { principalCacheMs?: number } = {},
  ) {
    this.principals = options.principalCacheMs ? new LRUCache({ max: 10_000, ttl: options.principalCacheMs }) : null;
    this.redis = redis as ScriptedRedis;
    registerScripts(redis, [
      { name: 'genwayGrantCredits', file: new URL('./grant-credits.lua', import.meta.url), numberOfKeys: 2, constants: { LEDGER_LENGTH: ledgerLength } },
      { name: 'genwayAuthenticate', file: new URL('./authenticate.lua', import.meta.url), numberOfKeys: 1, constants: { MINUTE_WINDOW_MS: minuteWindowMs } },
    ]);
  }

  async create(input: { name: string; plan: Plan; credits: number }): Promise<IssuedCredentials> {
    const accountId = newAccountId();
    const liveKey = newApiKey('live');
    const testKey = newApiKey('test');
    const webhookSecret = newWebhookSecret();
    await this.redis
      .multi()
      .hset(this.keys.account(accountId), {
        id: accountId,
        name: input.name,
        plan: input.plan,
        credits: 0,
        createdAt: this.now(),
        webhookSecret,
        liveKeyHash: hashApiKey(liveKey),
        testKeyHash: hashApiKey(testKey),
      })
      .set(this.keys.apiKey(hashApiKey(liveKey)), accountId)
      .set(this.keys.apiKey(hashApiKey(testKey)), accountId)
      .sadd(this.keys.accountIndex(), accountId)
      .exec();
    if (input.credits > 0) await this.grantCredits(accountId, input.credits);
    return { accountId, liveKey, testKey, webhookSecret };
  }

  async get(accountId: string): Promise<Account | null> {
    const hash = await this.redis.hgetall(this.keys.account(accountId));
    if (!hash.id) return null;
    const overrides = { perMinute: optionalNumber(hash.limitPerMinute), concurrent: optionalNumber(hash.limitConcurrent), perDay: optionalNumber(hash.limitPerDay) };
    return {
      id: hash.id,
      name: hash.name ?? '',
      plan: hash.plan as Plan,
      credits: Number(hash.credits ?? 0),
      createdAt: Number(hash.createdAt),
      webhookSecret: hash.webhookSecret ?? '',
      limits: limitsFor(hash.plan as Plan, overrides),
      disabled: hash.disabled === '1',
    };
  }

  /** Every account, oldest first. */
  async list(): Promise<Account[]> {
    const ids = await this.redis.smembers(this.keys.accountIndex());
    const accounts = await Promise.all(ids.map((id) => this.get(id)));
    return accounts.filter((account): account is Account => account !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  async setDisabled(accountId: string, disabled: boolean): Promise<boolean> {
    if (!(await this.redis.exists(this.keys.account(accountId)))) return false;
    await this.redis.hset(this.keys.account(accountId), 'disabled', disabled ? '1' : '0');
    await this.announceChange(accountId);
    return true;
  }

  /** Per-account limits on top of the plan's (how enterprise accounts get theirs); omitted ones keep their value. */
  async setLimits(accountId: string, overrides: LimitOverrides): Promise<boolean> {
    const fields = Object.entries({ limitPerMinute: overrides.perMinute, limitConcurrent: overrides.concurrent, limitPerDay: overrides.perDay }).filter(([, value]) => value !== undefined);
    if (!(await this.redis.exists(this.keys.account(accountId)))) return false;
    if (fields.length > 0) await this.redis.hset(this.keys.account(accountId), Object.fromEntries(fields));
    await this.announceChange(accountId);
    return true;
  }

  async setPlan(accountId: string, plan: Plan): Promise<boolean> {
    if (!(await this.redis.exists(this.keys.account(accountId)))) return false;
    await this.redis.hset(this.keys.account(accountId), 'plan', plan);
    await this.announceChange(accountId);
    return true;
  }

  /** The secrets that sign this account's webhooks now: the current one, and the previous one during a rotation's overlap. */
  async webhookSecrets(accountId: string): Promise<{ current: string; previous: string | null } | null> {
    const [current, previous, until] = await this.redis.hmget(this.keys.account(accountId), 'webhookSecret', 'previousWebhookSecret', 'previousWebhookSecretUntil');
    if (!current) return null;
    return { current, previous: previous && Number(until) > this.now() ? previous : null };
  }

  /** A new signing secret; the old one keeps signing beside it for `overlapMs`, so receivers can switch without missing a delivery. */
  async rollWebhookSecret(accountId: string, overlapMs: number): Promise<{ accountId: string; webhookSecret: string; previousValidUntil: string } | null> {
    const current = await this.redis.hget(this.keys.account(accountId), 'webhookSecret');
    if (!current) return null;
    const webhookSecret = newWebhookSecret();
    const until = this.now() + overlapMs;
    await this.redis.hset(this.keys.account(accountId), { webhookSecret, previousWebhookSecret: current, previousWebhookSecretUntil: until });
    return { accountId, webhookSecret, previousValidUntil: new Date(until).toISOString() };
  }

  async count(): Promise<number> {
    return this.redis.scard(this.keys.accountIndex());
  }

  async authenticate(apiKey: string): Promise<Authentication> {
    const mode = keyModeOf(apiKey);
    if (!mode) return null;
    const keyHash = hashApiKey(apiKey);
    const cached = this.principals?.get(keyHash);
    if (cached) return cached === 'disabled' ? 'disabled' : { ...cached, rateLimit: null };
    const found = await this.authenticateHash(keyHash, mode);
    if (found) this.principals?.set(keyHash, found === 'disabled' ? 'disabled' : { accountId: found.accountId, mode, limits: found.limits });
    return found;
  }

  /** Forgets every cached key, so the next request of each reads its account again. */
  forgetPrincipals(): void {
    this.principals?.clear();
  }

  /** After a change to who a key is or what it may do: this process forgets at once, the others when they hear of it. */
  private async announceChange(accountId: string): Promise<void> {
    this.forgetPrincipals();
    await this.redis.publish(this.keys.accountChanges(), accountId);
  }

  private async authenticateHash(keyHash: string, mode: KeyMode): Promise<Authentication> {
    const now = this.now();
    const found = await this.redis.genwayAuthenticate(this.keys.apiKey(keyHash), this.keys.account(accountIdPlaceholder), this.keys.minuteWindow(accountIdPlaceholder), accountIdPlaceholder, now);
    if (found === 0) return 'disabled';
    if (!found) return null;
    const [accountId, plan, perMinute, concurrent, perDay, used, oldest] = found as [string, Plan, string, string, string, number, string];
    const limits = limitsFor(plan, { perMinute: optionalNumber(perMinute), concurrent: optionalNumber(concurrent), perDay: optionalNumber(perDay) });
    const resetAt = (oldest ? Number(oldest) : now) + minuteWindowMs;
    return { accountId, mode, limits, rateLimit: { limit: limits.perMinute, remaining: limits.perMinute - Number(used), resetAt } };
  }

  /**
   * Adds credits, or takes them away with a negative amount; a balance never goes below zero. `entry` records the
   * movement as a reservation or refund for something (a realtime session) rather than as a grant.
   */
  async grantCredits(accountId: string, amount: number, entry?: { kind: 'reserve' | 'refund'; reference: string }): Promise<CreditGrant> {
    const result = await this.redis.genwayGrantCredits(this.keys.account(accountId), this.keys.ledger(accountId), amount, this.now(), ...(entry ? ([entry.kind, entry.reference] as const) : []));
    if (!result) return { ok: false, reason: 'not-found' };
    const [done, credits] = result;
    return done === 1 ? { ok: true, credits } : { ok: false, reason: 'would-go-negative', credits };
  }

  /** The key hashes an account has now (empty once revoked). */
  private async keyHashes(accountId: string): Promise<string[] | null> {
    const [id, ...hashes] = await this.redis.hmget(this.keys.account(accountId), 'id', 'liveKeyHash', 'testKeyHash');
    return id ? hashes.filter((hash): hash is string => Boolean(hash)) : null;
  }

  /** Both keys stop working at once; `keys roll` issues new ones. */
  async revokeKeys(accountId: string): Promise<boolean> {
    const hashes = await this.keyHashes(accountId);
    if (!hashes) return false;
    const revoke = this.redis.multi().hset(this.keys.account(accountId), { liveKeyHash: '', testKeyHash: '' });
    if (hashes.length > 0) revoke.del(...hashes.map((hash) => this.keys.apiKey(hash)));
    await revoke.exec();
    await this.announceChange(accountId);
    return true;
  }

  /** Issues new live and test keys; the old ones stop working at once. */
  async rollKeys(accountId: string): Promise<{ accountId: string; liveKey: string; testKey: string } | null> {
    const hashes = await this.keyHashes(accountId);
    if (!hashes) return null;
    const liveKey = newApiKey('live');
    const testKey = newApiKey('test');
    const roll = this.redis.multi();
    if (hashes.length > 0) roll.del(...hashes.map((hash) => this.keys.apiKey(hash)));
    await roll
      .set(this.keys.apiKey(hashApiKey(liveKey)), accountId)
      .set(this.keys.apiKey(hashApiKey(testKey)), accountId)
      .hset(this.keys.account(accountId), { liveKeyHash: hashApiKey(liveKey), testKeyHash: hashApiKey(testKey) })
      .exec();
    await this.announceChange(accountId);
    return { accountId, liveKey, testKey };
  }
}

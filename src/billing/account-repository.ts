import type { Redis } from 'ioredis';
import type { KeyMode } from '../generations/generation.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { newAccountId } from '../shared/ids.ts';
import { appendLedgerLua } from './ledger.ts';
import { hashApiKey, keyModeOf, newApiKey, newWebhookSecret } from './api-keys.ts';
import type { Plan } from './plans.ts';

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  credits: number;
  createdAt: number;
  webhookSecret: string;
}

export interface IssuedCredentials {
  accountId: string;
  liveKey: string;
  testKey: string;
  webhookSecret: string;
}

export interface Principal {
  accountId: string;
  mode: KeyMode;
}

/** KEYS: account, ledger. ARGV: amount, now. Adds credits and records the grant atomically. */
const grantScript = `${appendLedgerLua}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local balance = redis.call('HINCRBY', KEYS[1], 'credits', ARGV[1])
appendLedger(KEYS[2], ARGV[2], 'grant', tonumber(ARGV[1]), balance, nil)
return balance
`;

interface ScriptedRedis extends Redis {
  genwayGrantCredits(accountKey: string, ledgerKey: string, amount: number, now: number): Promise<number | null>;
}

export class AccountRepository {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, private readonly keys: RedisKeys, private readonly now: () => number = Date.now) {
    this.redis = redis as ScriptedRedis;
    if (!('genwayGrantCredits' in redis)) redis.defineCommand('genwayGrantCredits', { numberOfKeys: 2, lua: grantScript });
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
    return { id: hash.id, name: hash.name ?? '', plan: hash.plan as Plan, credits: Number(hash.credits ?? 0), createdAt: Number(hash.createdAt), webhookSecret: hash.webhookSecret ?? '' };
  }

  async count(): Promise<number> {
    return this.redis.scard(this.keys.accountIndex());
  }

  /** One round trip: the key's hash names the account; the prefix names the mode. */
  async authenticate(apiKey: string): Promise<Principal | null> {
    const mode = keyModeOf(apiKey);
    if (!mode) return null;
    const accountId = await this.redis.get(this.keys.apiKey(hashApiKey(apiKey)));
    return accountId ? { accountId, mode } : null;
  }

  async grantCredits(accountId: string, amount: number): Promise<number | null> {
    return this.redis.genwayGrantCredits(this.keys.account(accountId), this.keys.ledger(accountId), amount, this.now());
  }

  /** Issues new live and test keys; the old ones stop working at once. */
  async rollKeys(accountId: string): Promise<{ accountId: string; liveKey: string; testKey: string } | null> {
    const hash = await this.redis.hmget(this.keys.account(accountId), 'liveKeyHash', 'testKeyHash');
    if (!hash[0] || !hash[1]) return null;
    const liveKey = newApiKey('live');
    const testKey = newApiKey('test');
    await this.redis
      .multi()
      .del(this.keys.apiKey(hash[0]), this.keys.apiKey(hash[1]))
      .set(this.keys.apiKey(hashApiKey(liveKey)), accountId)
      .set(this.keys.apiKey(hashApiKey(testKey)), accountId)
      .hset(this.keys.account(accountId), { liveKeyHash: hashApiKey(liveKey), testKeyHash: hashApiKey(testKey) })
      .exec();
    return { accountId, liveKey, testKey };
  }
}

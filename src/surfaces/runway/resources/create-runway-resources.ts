import type { Redis } from 'ioredis';
import type { AccountRepository } from '../../../billing/account-repository.ts';
import type { AccountStatus } from '../../../billing/account-status.ts';
import { type ProviderRegistry, settingsFor } from '../../../providers/registry.ts';
import { createRunwayAccountApi } from '../../../providers/runway/runway-account-api.ts';
import { runwayRealtimePricing } from '../../../providers/runway/runway-realtime-pricing.ts';
import { runwaySettings } from '../../../providers/runway/runway-settings.ts';
import { sandboxSettings } from '../../../providers/sandbox/sandbox-settings.ts';
import type { RedisKeys } from '../../../redis/redis-keys.ts';
import { LiveResources } from './live-resources.ts';
import { ResourceStore } from './resource-store.ts';
import { AccountResources } from './runway-resources.ts';
import { SandboxResources } from './sandbox-resources.ts';
import { SessionCharges, type SessionPricing } from './session-charges.ts';

export interface RunwayResourceDependencies {
  /** The gateway's settings: Runway's (RUNWAY_API_KEY…) put live keys' resources at Runway, the sandbox's its latency. */
  settings: Record<string, unknown>;
  redis: Redis;
  keys: RedisKeys;
  accounts: Pick<AccountRepository, 'grantCredits'>;
  usage: Pick<AccountStatus, 'addModelUsage'>;
  /** Turns Runway's price into genway credits, as every generation's is. */
  registry: Pick<ProviderRegistry, 'credits'>;
  now(): number;
}

/** Test keys' avatars, documents and realtime sessions live in the sandbox; live keys' at Runway when it is configured. */
export function createRunwayResources({ settings, redis, keys, accounts, usage, registry, now }: RunwayResourceDependencies): AccountResources {
  const sandbox = new SandboxResources(new ResourceStore(redis, keys, 'test'), { latencyMs: settingsFor(sandboxSettings, settings)!.latencyMs, now });
  const runway = settingsFor(runwaySettings, settings);
  const pricing: SessionPricing = {
    maxSeconds: runwayRealtimePricing.maxSeconds,
    creditsFor: (seconds) => (seconds > 0 ? registry.credits({ usd: runwayRealtimePricing.usdFor(seconds) }) : 0),
  };
  const charges = new SessionCharges(accounts, usage, redis, keys, pricing);
  const live = runway ? new LiveResources(createRunwayAccountApi(runway), new ResourceStore(redis, keys, 'live'), charges, now) : null;
  return new AccountResources(
    { test: sandbox, live },
    {
      remember: async (sessionId, owner, ttlMs) => void (await redis.set(keys.realtimeSessionOwner(sessionId), owner, 'PX', ttlMs)),
      find: (sessionId) => redis.get(keys.realtimeSessionOwner(sessionId)),
    },
  );
}

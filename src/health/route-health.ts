import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { registerScripts } from '../redis/redis-scripts.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';
export type Admission = 'closed' | 'probe' | 'open';

export interface RouteHealth {
  state: CircuitState;
  /** Share of the recent generations on the route that failed in a way another route could fix (0 to 1), or null with none yet. */
  errorRate: number | null;
  /** Median time from submission to a stored output over the recent completions, or null with none yet. */
  p50LatencyMs: number | null;
}

export interface CircuitSettings {
  /** Consecutive fixable failures that open a route's circuit. */
  failureThreshold: number;
  /** How long an open circuit stays open before one probe may go through. */
  cooldownMs: number;
  /** Share of failures over the recent outcomes that opens it too, even without a run of failures in a row. */
  errorRate: number;
}

/** Outcomes needed before the error rate can open a circuit: a few early failures say little. */
const minimumSamples = 20;

/** Outcomes and latencies kept per route for the health figures. */
const window = 100;

/**
 * How long a process admits to a route it last saw closed without asking Redis: a circuit opened by another process
 * is obeyed here within this time, and a busy route does not cost a round trip per submission.
 */
const closedTrustMs = 1000;

interface ScriptedRedis extends Redis {
  genwayRouteHealth(
    health: string,
    outcomes: string,
    latencies: string,
    mode: string,
    now: number,
    threshold: number,
    cooldown: number,
    window: number,
    latencyMs: number,
    errorRate: number,
    minimumSamples: number,
  ): Promise<string>;
}

/**
 * A circuit breaker per route (a provider on one upstream), shared by every process through Redis: it opens after
 * `failureThreshold` fixable failures in a row, lets one probe through after `cooldownMs`, and closes when a
 * generation completes there.
 */
export class RouteCircuits {
  private readonly redis: ScriptedRedis;
  /** Circuits this process saw closed within the last `closedTrustMs`. */
  private readonly seenClosed = new LRUCache<string, true>({ max: 10_000, ttl: closedTrustMs });

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    private readonly settings: CircuitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = redis as ScriptedRedis;
    registerScripts(redis, [{ name: 'genwayRouteHealth', file: new URL('./route-health.lua', import.meta.url), numberOfKeys: 3 }]);
  }

  private async run(provider: string, route: string, mode: 'admit' | 'success' | 'failure', latencyMs = 0) {
    const keys = this.keys.routeHealth(provider, route);
    const { failureThreshold, cooldownMs, errorRate } = this.settings;
    const state = await this.redis.genwayRouteHealth(keys.circuit, keys.outcomes, keys.latencies, mode, this.now(), failureThreshold, cooldownMs, window, latencyMs, errorRate, minimumSamples);
    if (state === 'closed') this.seenClosed.set(keys.circuit, true);
    else this.seenClosed.delete(keys.circuit);
    return state;
  }

  async admit(provider: string, route: string): Promise<Admission> {
    if (this.seenClosed.has(this.keys.routeHealth(provider, route).circuit)) return 'closed';
    return (await this.run(provider, route, 'admit')) as Admission;
  }

  recordSuccess(provider: string, route: string, latencyMs: number): Promise<unknown> {
    return this.run(provider, route, 'success', Math.max(0, Math.round(latencyMs)));
  }

  recordFailure(provider: string, route: string): Promise<unknown> {
    return this.run(provider, route, 'failure');
  }

  /** The health of several routes in one round trip. */
  async health(routes: Array<{ provider: string; route: string }>): Promise<RouteHealth[]> {
    if (routes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { provider, route } of routes) {
      const keys = this.keys.routeHealth(provider, route);
      pipeline.hget(keys.circuit, 'state').lrange(keys.outcomes, 0, -1).lrange(keys.latencies, 0, -1);
    }
    const answers = ((await pipeline.exec()) ?? []).map(([, value]) => value);
    return routes.map((_, index) => {
      const [state, outcomes, latencies] = answers.slice(index * 3, index * 3 + 3) as [string | null, string[], string[]];
      const sorted = latencies.map(Number).sort((a, b) => a - b);
      return {
        state: (state ?? 'closed') as CircuitState,
        errorRate: outcomes.length > 0 ? outcomes.filter((outcome) => outcome === '0').length / outcomes.length : null,
        p50LatencyMs: sorted.length > 0 ? sorted[Math.floor((sorted.length - 1) / 2)]! : null,
      };
    });
  }
}

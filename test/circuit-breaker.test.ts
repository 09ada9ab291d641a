import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteCircuits } from '../src/health/route-health.ts';
import { type FakeGemini, startFakeGemini } from './fakes/fake-gemini.ts';
import { type FakeRunway, startFakeRunway } from './fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const threshold = 5;
const cooldownMs = 1000;
const healthQuery = '{ providers(type: VIDEO) { id health { state errorRate } routes { id health { state errorRate p50LatencyMs } } } }';

describe('circuit breaking per route, shared through Redis', () => {
  let gemini: FakeGemini;
  let runway: FakeRunway;
  let harness: TestGateway;
  let key: string;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'g_circuit' });
    runway = await startFakeRunway({ apiKey: 'r_circuit', defaultSteps: [{ status: 'SUCCEEDED' }] });
    harness = await startTestGateway({
      GEMINI_API_KEY: 'g_circuit',
      GEMINI_BASE_URL: gemini.url,
      RUNWAY_API_KEY: 'r_circuit',
      RUNWAY_BASE_URL: runway.url,
      UPSTREAM_POLL_INTERVAL_MS: '20',
      // A 503 counts at once: the breaker, not the retries, is under test.
      UPSTREAM_RETRY_ATTEMPTS: '1',
      CIRCUIT_FAILURE_THRESHOLD: String(threshold),
      CIRCUIT_COOLDOWN_MS: String(cooldownMs),
      WORKER_CONCURRENCY: '50',
    });
    const account = await harness.createAccount({ credits: 10_000_000 });
    await harness.gateway.accounts.setLimits(account.accountId, { perMinute: 1000, concurrent: 50, perDay: 0 });
    key = account.liveKey;
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([gemini.close(), runway.close()]);
  });

  const veo = (text: string) => harness.runGeneration(key, { provider: 'veo', type: 'VIDEO', input: { text } });
  const geminiRoute = async () => {
    const providers = (await harness.graphql({ key, query: healthQuery })).body.data.providers;
    return providers.find((provider: { id: string }) => provider.id === 'veo').routes.find((route: { id: string }) => route.id === 'gemini').health;
  };

  it('200 generations against a route failing every request: it opens after the threshold and the rest go straight to the next route, all completing', async () => {
    gemini.setDown(true);
    const first = [];
    for (let index = 0; index <= threshold; index++) first.push(await veo(`one by one ${index}`));
    // The first `threshold` failed there; the next one skipped it (well within the cool-down).
    expect(gemini.creations()).toHaveLength(threshold);
    expect(first.at(-1)!.attempts).toMatchObject([{ provider: 'veo', route: 'gemini', code: 'PROVIDER_UNAVAILABLE' }]);
    expect(first.at(-1)!.attempts[0]!.message).toContain('circuit open');
    expect(await geminiRoute()).toMatchObject({ state: 'OPEN', errorRate: 1 });
    const rest = await Promise.all(Array.from({ length: 200 - first.length }, (_, index) => veo(`all at once ${index}`)));
    const all = [...first, ...rest];
    expect(all.filter((generation) => generation.status === 'COMPLETED' && generation.route === 'runway')).toHaveLength(200);
    // Only the probes let through after each cool-down reach the failing route; 200 generations cost it a handful of requests.
    expect(gemini.creations().length).toBeLessThan(threshold + 10);
  });

  it('after the cool-down one probe goes to the recovered route and closes the circuit', async () => {
    gemini.setDown(false);
    await new Promise((resolve) => setTimeout(resolve, cooldownMs + 100));
    const before = gemini.creations().length;
    const probe = await veo('probe');
    expect(probe).toMatchObject({ status: 'COMPLETED', route: 'gemini' });
    expect(gemini.creations().length - before).toBe(1);
    expect((await geminiRoute()).state).toBe('CLOSED');
    expect((await veo('back to normal')).route).toBe('gemini');
  });

  it('providers { health } reports the route a live request would run on, with its latency once it has completions', async () => {
    const providers = (await harness.graphql({ key, query: healthQuery })).body.data.providers;
    const veoProvider = providers.find((provider: { id: string }) => provider.id === 'veo');
    expect(veoProvider.health.state).toBe('CLOSED');
    expect(veoProvider.routes.find((route: { id: string }) => route.id === 'runway').health.p50LatencyMs).toBeGreaterThanOrEqual(0);
    expect(providers.find((provider: { id: string }) => provider.id === 'kling').health).toBeNull();
  });

  it('an error rate over the window opens it too, without failures in a row (after enough samples)', async () => {
    const circuits = new RouteCircuits(harness.gateway.redis, harness.gateway.keys, { failureThreshold: 100, cooldownMs: 60_000, errorRate: 0.5 });
    const states: string[] = [];
    for (let index = 0; index < 20; index++) {
      if (index % 2 === 0) await circuits.recordSuccess('kling', 'kling', 10);
      else await circuits.recordFailure('kling', 'kling');
      states.push((await circuits.health([{ provider: 'kling', route: 'kling' }]))[0]!.state);
    }
    expect(states.slice(0, 19).every((state) => state === 'closed')).toBe(true);
    expect(states[19]).toBe('open');
    expect(await circuits.admit('kling', 'kling')).toBe('open');
  });
});

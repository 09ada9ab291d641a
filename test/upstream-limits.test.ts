import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRunway, startFakeRunway } from './fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

describe('upstream concurrency limits, shared by every worker', () => {
  let runway: FakeRunway;
  let harness: TestGateway;
  let secondWorker: TestGateway;

  beforeAll(async () => {
    runway = await startFakeRunway({ apiKey: 'r_limits', taskDurationMs: 150 });
    const settings = { RUNWAY_API_KEY: 'r_limits', RUNWAY_BASE_URL: runway.url, RUNWAY_MAX_CONCURRENCY: '2', UPSTREAM_POLL_INTERVAL_MS: '20' };
    harness = await startTestGateway(settings);
    // A second worker process's worth of workers on the same Redis and key prefix: the limit holds across both.
    secondWorker = await startTestGateway({ ...settings, REDIS_PREFIX: harness.config.REDIS_PREFIX });
  });
  afterAll(async () => {
    await secondWorker.close();
    await harness.close();
    await runway.close();
  });

  it('RUNWAY_MAX_CONCURRENCY=2 with 20 generations: never more than 2 running upstream at once, and all 20 complete', async () => {
    const account = await harness.createAccount({ credits: 1_000_000 });
    await harness.gateway.accounts.setLimits(account.accountId, { perMinute: 1000, concurrent: 50, perDay: 0 });
    const generations = await Promise.all(Array.from({ length: 20 }, (_, index) => harness.runGeneration(account.liveKey, { provider: 'runway', type: 'IMAGE', input: { text: `limited ${index}` } })));
    expect(generations.filter((generation) => generation.status === 'COMPLETED')).toHaveLength(20);
    expect(runway.posts()).toHaveLength(20);
    expect(runway.mostActive()).toBe(2);
  });

  it('BFL_MAX_ACTIVE defaults to the 24 active tasks Black Forest Labs documents', () => {
    expect(harness.gateway.registry.maxConcurrency('runway', 'runway')).toBe(2);
    expect((harness.config as Record<string, unknown>).BFL_MAX_ACTIVE).toBe(24);
  });
});

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

describe('a cancel frees its upstream slot for the next in line at once', () => {
  let runway: FakeRunway;
  let working: TestGateway;
  let api: TestGateway;

  beforeAll(async () => {
    runway = await startFakeRunway({ apiKey: 'r_cancel_wake', taskDurationMs: 60_000 });
    const settings = { RUNWAY_API_KEY: 'r_cancel_wake', RUNWAY_BASE_URL: runway.url, RUNWAY_MAX_CONCURRENCY: '1', UPSTREAM_POLL_INTERVAL_MS: '20' };
    working = await startTestGateway(settings);
    api = await startTestGateway({ ...settings, REDIS_PREFIX: working.config.REDIS_PREFIX }, { worker: false });
  });
  afterAll(async () => {
    await working.close();
    await api.close();
    await runway.close();
  });

  it('cancelling the generation that holds the only slot moves the one waiting for it out of the delayed set', async () => {
    const account = await api.createAccount({ credits: 1_000_000 });
    await api.gateway.accounts.setLimits(account.accountId, { perMinute: 1000, concurrent: 5, perDay: 0 });
    const generate = async (text: string) => {
      const created = await api.graphql({
        key: account.liveKey,
        query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }',
        variables: { input: { provider: 'runway', type: 'IMAGE', input: { text } } },
      });
      return created.body.data.generate.id as string;
    };
    const holder = await generate('holds the slot');
    await api.waitForStatus(holder, ['PROCESSING']);
    const waiter = await generate('waits for it');
    await expect.poll(() => api.gateway.slots.upstreamWaitingHead('runway', 1)).toEqual([waiter]);
    await expect.poll(async () => (await api.gateway.generationQueue.queue.getJob(waiter))?.getState()).toBe('delayed');
    // With no worker left, only the cancel's wake can move the waiting job; its own recheck is seconds away.
    await working.stopWorkers();
    await api.graphql({ key: account.liveKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id: holder } });
    expect(await (await api.gateway.generationQueue.queue.getJob(waiter))?.getState()).toBe('waiting');
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConcurrencySlots, slotLeaseMs } from '../src/billing/concurrency-slots.ts';
import { readLedger } from '../src/billing/ledger.ts';
import { GenerationRunner } from '../src/generations/generation-runner.ts';
import { createLogger } from '../src/logging/logger.ts';
import { builtInProviders } from '../src/providers/index.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { sandboxOptionsSchema } from '../src/providers/sandbox/index.ts';
import { defineProvider, defineRoute } from '../src/providers/spec.ts';
import { freePort } from './support/free-port.ts';
import { exited, spawnEntryPoint } from './support/processes.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id status creditCost } }';
const sandboxVideo = { type: 'VIDEO', provider: 'sandbox', input: { text: 'billing' }, options: { duration: 1 } };

describe('two API processes sharing one Redis', () => {
  let harness: TestGateway;
  const servers: Array<ReturnType<typeof spawnEntryPoint>> = [];
  const ports: number[] = [];

  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
    for (let index = 0; index < 2; index++) {
      const port = await freePort();
      ports.push(port);
      servers.push(
        spawnEntryPoint('src/server.ts', {
          REDIS_URL: harness.config.REDIS_URL!,
          REDIS_PREFIX: harness.config.REDIS_PREFIX,
          DATA_DIR: harness.config.DATA_DIR,
          PORT: String(port),
          LOG_LEVEL: 'warn',
          CREATE_DEV_ACCOUNT: 'false',
        }),
      );
    }
    for (const port of ports) {
      for (let attempt = 0; attempt < 200; attempt++) {
        if (
          await fetch(`http://127.0.0.1:${port}/healthz`).then(
            (response) => response.ok,
            () => false,
          )
        )
          break;
        await sleep(100);
      }
    }
  });
  afterAll(async () => {
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(servers.map(exited));
    await harness.close();
  });

  const post = (index: number, key: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${ports[index % 2]}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify(body) });

  it('200 concurrent generates against credits for 10: exactly 10 succeed, 190 get 402, the balance ends at 0 and never goes below', async () => {
    const account = await harness.createAccount({ plan: 'enterprise', credits: 20 });
    await harness.gateway.accounts.setLimits(account.accountId, { perMinute: 10_000 });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, index) => post(index, account.liveKey, { query: generateQuery, variables: { input: sandboxVideo } })));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 402)).toHaveLength(190);
    const failures = await Promise.all(
      responses.filter((response) => response.status === 402).map((response) => response.json() as Promise<{ errors: Array<{ extensions: Record<string, unknown> }> }>),
    );
    expect(failures.every((body) => body.errors[0]!.extensions.code === 'INSUFFICIENT_CREDITS' && body.errors[0]!.extensions.creditsRequired === 2)).toBe(true);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(0);
    const ledger = await readLedger(harness.gateway.redis, harness.gateway.keys, account.accountId, 1000);
    expect(ledger.filter((entry) => entry.kind === 'reserve')).toHaveLength(10);
    expect(Math.min(...ledger.map((entry) => entry.balance))).toBe(0);
  });

  it('50 concurrent requests with one Idempotency-Key make one generation and one charge; the rest replay or get 409', async () => {
    const account = await harness.createAccount({ plan: 'enterprise', credits: 100 });
    const body = { query: generateQuery, variables: { input: sandboxVideo } };
    const responses = await Promise.all(Array.from({ length: 50 }, (_, index) => post(index, account.liveKey, body, { 'idempotency-key': 'order-42' })));
    const ok = responses.filter((response) => response.status === 200);
    const busy = responses.filter((response) => response.status === 409);
    expect(ok.length + busy.length).toBe(50);
    const ids = new Set(await Promise.all(ok.map(async (response) => ((await response.json()) as { data: { generate: { id: string } } }).data.generate.id)));
    expect(ids.size).toBe(1);
    expect(ok.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(ok.length - 1);
    expect(await harness.gateway.redis.zcard(harness.gateway.keys.accountGenerations(account.accountId))).toBe(1);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(98);

    const replay = await post(0, account.liveKey, body, { 'idempotency-key': 'order-42' });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { data: { generate: { id: string } } }).data.generate.id).toBe([...ids][0]);

    const other = await post(1, account.liveKey, { ...body, variables: { input: { ...sandboxVideo, input: { text: 'something else' } } } }, { 'idempotency-key': 'order-42' });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(98);
  });

  it('stores nothing for a request that failed validation, so the key can be used again', async () => {
    const account = await harness.createAccount({ plan: 'enterprise', credits: 100 });
    const invalid = await post(0, account.liveKey, { query: generateQuery, variables: { input: { ...sandboxVideo, options: { duration: -1 } } } }, { 'idempotency-key': 'retry-me' });
    expect(invalid.status).toBe(400);
    const valid = await post(1, account.liveKey, { query: generateQuery, variables: { input: sandboxVideo } }, { 'idempotency-key': 'retry-me' });
    expect(valid.status).toBe(200);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('plan limits', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '300' });
  });
  afterAll(() => harness.close());

  it("a plan of 10 per minute gets exactly 10 successes in a burst of 30, with the seed's headers", async () => {
    const account = await harness.createAccount({ plan: 'free', credits: 0 });
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'IMAGE', provider: 'flux-dev', input: { text: 'burst' } } } })),
    );
    const succeeded = responses.filter((response) => response.status === 200);
    const limited = responses.filter((response) => response.status === 429);
    expect(succeeded).toHaveLength(10);
    expect(limited).toHaveLength(20);
    expect(succeeded.map((response) => Number(response.headers['x-ratelimit-remaining'])).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const response of [...succeeded, ...limited]) {
      expect(response.headers['x-ratelimit-limit']).toBe('10');
      expect(Number(response.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    }
    for (const response of limited) {
      expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMIT', window: 'minute', limit: 10 });
      expect(response.headers['x-ratelimit-remaining']).toBe('0');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    const status = await harness.graphql({ key: account.testKey, query: '{ account { rateLimit { perMinute remainingThisMinute perDay remainingToday } } }' });
    expect(status.headers['x-ratelimit-remaining']).toBe('0');
    expect(status.body.data.account.rateLimit).toEqual({ perMinute: 10, remainingThisMinute: 0, perDay: 100, remainingToday: 90 });
  });

  it('the daily limit answers RATE_LIMIT until the next UTC day', async () => {
    const account = await harness.createAccount({ plan: 'enterprise', credits: 0 });
    await harness.gateway.accounts.setLimits(account.accountId, { perDay: 2 });
    const send = () => harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'AUDIO', input: { text: 'daily' } } } });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMIT', window: 'day' });
  });

  it('generations over the concurrent limit wait as QUEUED, never more run at once, and all complete', async () => {
    const account = await harness.createAccount({ plan: 'starter', credits: 0 });
    const ids: string[] = [];
    for (let index = 0; index < 8; index++) {
      const created = await harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'IMAGE', provider: 'imagen', input: { text: `queued ${index}` } } } });
      ids.push(created.body.data.generate.id);
    }
    let mostRunning = 0;
    let sawWaiting = false;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const statuses = await Promise.all(ids.map(async (id) => (await harness.gateway.repository.get(id))!.status));
      mostRunning = Math.max(mostRunning, await harness.gateway.slots.runningCount(account.accountId));
      sawWaiting ||= statuses.filter((status) => status === 'QUEUED').length > 0 && statuses.filter((status) => status === 'PROCESSING').length === 3;
      if (statuses.every((status) => status === 'COMPLETED')) break;
      await sleep(25);
    }
    expect(await Promise.all(ids.map(async (id) => (await harness.gateway.repository.get(id))!.status))).toEqual(Array(8).fill('COMPLETED'));
    expect(mostRunning).toBeLessThanOrEqual(3);
    expect(sawWaiting).toBe(true);
    expect(await harness.gateway.slots.runningCount(account.accountId)).toBe(0);
  });

  it("reports the day's spending by type and provider", async () => {
    const account = await harness.createAccount({ plan: 'pro', credits: 50 });
    const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: sandboxVideo } });
    await harness.waitForStatus(created.body.data.generate.id, ['COMPLETED']);
    const usage = await harness.graphql({ key: account.liveKey, query: '{ usage(days: 7) { date credits generations lines { type provider credits generations } } }' });
    expect(usage.body.data.usage).toEqual([{ date: new Date().toISOString().slice(0, 10), credits: 2, generations: 1, lines: [{ type: 'VIDEO', provider: 'sandbox', credits: 2, generations: 1 }] }]);
  });
});

describe('settling credits exactly once', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
  });
  afterAll(() => harness.close());

  async function liveGeneration(credits = 2) {
    const account = await harness.createAccount({ plan: 'pro', credits: 10 });
    const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: sandboxVideo } });
    const generation = (await harness.gateway.repository.get(created.body.data.generate.id))!;
    expect(generation.creditsReserved).toBe(credits);
    return { account, generation };
  }

  const kinds = async (accountId: string, generationId: string) =>
    (await readLedger(harness.gateway.redis, harness.gateway.keys, accountId)).filter((entry) => entry.generationId === generationId).map((entry) => entry.kind);

  it('completion at a lower final cost refunds the difference once, however often it runs', async () => {
    const { account, generation } = await liveGeneration();
    for (let run = 0; run < 2; run++) {
      await harness.gateway.repository.transition(generation, { from: ['QUEUED', 'PROCESSING'], to: 'COMPLETED', settlement: 'charge', finalCost: 1 });
    }
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(9);
    expect(await kinds(account.accountId, generation.id)).toEqual(['settle', 'reserve']);
    expect((await harness.gateway.repository.get(generation.id))!.creditCost).toBe(1);
  });

  it("a failure that is not the client's fault refunds once, however often it runs", async () => {
    const { account, generation } = await liveGeneration();
    for (let run = 0; run < 2; run++) {
      await harness.gateway.repository.transition(generation, { from: ['QUEUED', 'PROCESSING'], to: 'FAILED', settlement: 'refund' });
    }
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(10);
    expect(await kinds(account.accountId, generation.id)).toEqual(['refund', 'reserve']);
  });

  it('a cancel after the provider started keeps the charge', async () => {
    const { account, generation } = await liveGeneration();
    await harness.gateway.lifecycle.markSubmitted(generation, { upstream: 'task_1' });
    await harness.gateway.lifecycle.markStarted(generation, 0.1);
    const cancelled = await harness.graphql({ key: account.liveKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id: generation.id } });
    expect(cancelled.body.data.cancelGeneration).toBe(true);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(8);
  });

  it("content moderation follows the provider's rule: a provider that keeps the charge is charged once, never refunded then charged", async () => {
    const moderated = defineProvider({
      ...builtInProviders.find((provider) => provider.id === 'sandbox')!,
      id: 'strict',
      optionsSchema: sandboxOptionsSchema,
      routes: [
        defineRoute({
          id: 'strict',
          settings: {},
          chargesModeratedInput: true,
          connect: () => ({
            operationSchema: z.object({ task: z.string() }),
            submit: async () => ({ task: 'x' }),
            poll: async () => ({ status: 'failed', code: 'CONTENT_MODERATION', message: 'SAFETY.INPUT.TEXT', retryable: false }),
          }),
        }),
      ],
    });
    const registry = new ProviderRegistry({ providers: [...builtInProviders, moderated], settings: {}, creditsPerUsd: 400 });
    const { account, generation } = await liveGeneration();
    await harness.gateway.redis.hset(harness.gateway.keys.generation(generation.id), { provider: 'strict', route: 'strict' });
    const runner = new GenerationRunner({
      lifecycle: harness.gateway.lifecycle,
      endings: harness.gateway.endings,
      routeFailures: harness.gateway.repository,
      circuits: harness.gateway.circuits,
      registry,
      slots: harness.gateway.slots,
      queue: harness.gateway.generationQueue,
      store: harness.gateway.store,
      downloadOutput: async () => ({ bytes: new Uint8Array() }),
      readMedia: async () => ({ bytes: new Uint8Array(), mimeType: 'image/png' }),
      linkUploads: async (input) => input,
      retries: { attemptsPerRoute: 1, baseDelayMs: 1 },
      now: Date.now,
      log: createLogger('silent'),
    });
    for (let attempt = 0; attempt < 2; attempt++) await runner.step((await harness.gateway.repository.get(generation.id))!);
    expect((await harness.gateway.repository.get(generation.id))!.error?.code).toBe('CONTENT_MODERATION');
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(8);
    expect(await kinds(account.accountId, generation.id)).toEqual(['reserve']);
  });
});

describe('concurrency slots', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
  });
  afterAll(() => harness.close());

  it('come back when whatever held one vanished, once its lease runs out', async () => {
    let clock = 1_000_000;
    const slots = new ConcurrencySlots(harness.gateway.redis, harness.gateway.keys, () => clock);
    const generation = (id: string, createdAt: number) => ({ id, accountId: 'acct_lease', concurrencyLimit: 1, createdAt });
    expect(await slots.acquire(generation('gen_crashed', 1))).toBe(true);
    expect(await slots.acquire(generation('gen_next', 2))).toBe(false);
    expect(await slots.waitingHead('acct_lease', 1)).toEqual(['gen_next']);
    clock += slotLeaseMs - 1;
    expect(await slots.acquire(generation('gen_next', 2))).toBe(false);
    clock += 2;
    expect(await slots.acquire(generation('gen_next', 2))).toBe(true);
    expect(await slots.waitingHead('acct_lease', 1)).toEqual([]);
  });
});

describe('slot leases while a generation runs', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '1500' });
  });
  afterAll(() => harness.close());

  it('are written on the generation when taken, so polls need not renew them every time', async () => {
    const account = await harness.createAccount();
    const created = await harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'IMAGE', input: { text: 'leased' } } } });
    const id = created.body.data.generate.id;
    await harness.waitForStatus(id, ['PROCESSING']);
    const running = (await harness.gateway.repository.get(id))!;
    const leaseEnd = Number(await harness.gateway.redis.zscore(harness.gateway.keys.runningSlots(account.accountId), id));
    expect(running.slotLeaseUntil).toBe(leaseEnd);
    expect(ConcurrencySlots.leaseIsFresh(running, Date.now())).toBe(true);
    expect(ConcurrencySlots.leaseIsFresh(running, running.slotLeaseUntil! - slotLeaseMs / 2 + 1)).toBe(false);
    await harness.waitForStatus(id, ['COMPLETED']);
    expect(await harness.gateway.slots.runningCount(account.accountId)).toBe(0);
  });
});

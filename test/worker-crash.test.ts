import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../src/billing/ledger.ts';
import { startFakeRunway } from './fakes/fake-runway.ts';
import { exited, spawnEntryPoint } from './support/processes.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

describe('a worker killed with SIGKILL mid-poll', () => {
  let harness: TestGateway;
  let deliveries = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      deliveries++;
      response.end();
    });
  });

  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '2500' }, { worker: false });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    receiver.close();
    await harness.close();
  });

  const workerEnvironment = () => {
    const { config } = harness;
    return {
      REDIS_URL: config.REDIS_URL!,
      REDIS_PREFIX: config.REDIS_PREFIX,
      DATA_DIR: config.DATA_DIR,
      PUBLIC_URL: config.PUBLIC_URL,
      SANDBOX_LATENCY_MS: String((config as Record<string, unknown>).SANDBOX_LATENCY_MS),
      ALLOW_PRIVATE_URLS: 'true',
      JOB_LOCK_MS: '1000',
      JOB_STALLED_INTERVAL_MS: '500',
      LOG_LEVEL: 'info',
    };
  };

  it('is picked up by another worker and the generation completes exactly once', async () => {
    const account = await harness.createAccount({ credits: 10 });
    const first = spawnEntryPoint('src/worker.ts', workerEnvironment());
    const created = await harness.graphql({
      key: account.liveKey,
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost } }',
      variables: {
        input: { type: 'VIDEO', provider: 'sandbox', input: { text: 'survive a crash' }, options: { duration: 10 }, webhookUrl: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/` },
      },
    });
    const { id, creditCost } = created.body.data.generate;
    try {
      await harness.waitForStatus(id, ['PROCESSING']);
      while (((await harness.gateway.repository.get(id))?.progress ?? 0) < 0.5) await sleep(20);
      first.kill('SIGKILL');
      await exited(first);
      expect((await harness.gateway.repository.get(id))?.status).toBe('PROCESSING');

      const second = spawnEntryPoint('src/worker.ts', workerEnvironment());
      try {
        expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'], 30_000), second.output()).toBe('COMPLETED');
        await sleep(1500);
      } finally {
        second.kill('SIGTERM');
        await exited(second);
      }
    } finally {
      first.kill('SIGKILL');
    }

    expect(deliveries).toBe(1);
    const movements = (await readLedger(harness.gateway.redis, harness.gateway.keys, account.accountId)).filter((entry) => entry.generationId === id);
    expect(movements.map((entry) => entry.kind)).toEqual(['reserve']);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(10 - creditCost);
    const generation = await harness.gateway.repository.get(id);
    expect(generation?.outputs).toHaveLength(1);
    expect((await harness.download(generation!.outputs[0]!)).status).toBe(200);
  });
});

for (const variant of [
  { provider: 'runway', prefix: '', keyName: 'RUNWAY_API_KEY', urlName: 'RUNWAY_BASE_URL' },
  { provider: 'cometapi', prefix: '/runwayml', keyName: 'COMETAPI_API_KEY', urlName: 'COMETAPI_BASE_URL' },
]) {
  describe(`a worker killed mid-poll of a live ${variant.provider} task`, () => {
    let fake: Awaited<ReturnType<typeof startFakeRunway>>;
    let harness: TestGateway;

    beforeAll(async () => {
      fake = await startFakeRunway({ apiKey: 'key_crash', prefix: variant.prefix });
      harness = await startTestGateway({ [variant.keyName]: 'key_crash', [variant.urlName]: fake.url, UPSTREAM_POLL_INTERVAL_MS: '100' }, { worker: false });
    });
    afterAll(async () => {
      await harness.close();
      await fake.close();
    });

    it('resumes polling the same upstream task without submitting it again, and completes once', async () => {
      const { config } = harness;
      const environment = {
        REDIS_URL: config.REDIS_URL!,
        REDIS_PREFIX: config.REDIS_PREFIX,
        DATA_DIR: config.DATA_DIR,
        PUBLIC_URL: config.PUBLIC_URL,
        [variant.keyName]: 'key_crash',
        [variant.urlName]: fake.url,
        UPSTREAM_POLL_INTERVAL_MS: '100',
        JOB_LOCK_MS: '1000',
        JOB_STALLED_INTERVAL_MS: '500',
        LOG_LEVEL: 'warn',
      };
      fake.script([...Array(30).fill({ status: 'RUNNING', progress: 0.4 }), { status: 'SUCCEEDED' }]);
      const account = await harness.createAccount({ credits: 10_000 });
      const first = spawnEntryPoint('src/worker.ts', environment);
      const created = await harness.graphql({
        key: account.liveKey,
        query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }',
        variables: { input: { type: 'VIDEO', provider: variant.provider, input: { text: 'survive' } } },
      });
      const id = created.body.data.generate.id;
      await harness.waitForStatus(id, ['PROCESSING']);
      first.kill('SIGKILL');
      await exited(first);
      const second = spawnEntryPoint('src/worker.ts', environment);
      try {
        expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'], 30_000), second.output()).toBe('COMPLETED');
      } finally {
        second.kill('SIGTERM');
        await exited(second);
      }
      expect(fake.posts()).toHaveLength(1);
      const movements = (await readLedger(harness.gateway.redis, harness.gateway.keys, account.accountId)).filter((entry) => entry.generationId === id);
      expect(movements.filter((entry) => entry.kind === 'reserve')).toHaveLength(1);
      expect(movements.filter((entry) => entry.kind !== 'reserve').length).toBeLessThanOrEqual(1);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../src/billing/ledger.ts';
import { type FakeGemini, startFakeGemini } from './fakes/fake-gemini.ts';
import { type FakeKling, startFakeKling } from './fakes/fake-kling.ts';
import { type FakeRunway, fakeTaskCostCredits, startFakeRunway } from './fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { eventually, startReceiver } from './support/webhook-receiver.ts';

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost route } }';
const readQuery = 'query ($id: ID!) { generation(id: $id) { status provider route creditCost error { code } attempts { provider route status code message } } }';

describe('fallback after acceptance, billed exactly', () => {
  let gemini: FakeGemini;
  let runway: FakeRunway;
  let kling: FakeKling;
  let harness: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'g_fallback' });
    runway = await startFakeRunway({ apiKey: 'r_fallback' });
    kling = await startFakeKling({ accessKey: 'ak_fallback', secretKey: 'sk_fallback_secret' });
    receiver = await startReceiver();
    harness = await startTestGateway({
      GEMINI_API_KEY: 'g_fallback',
      GEMINI_BASE_URL: gemini.url,
      RUNWAY_API_KEY: 'r_fallback',
      RUNWAY_BASE_URL: runway.url,
      KLING_ACCESS_KEY: 'ak_fallback',
      KLING_SECRET_KEY: 'sk_fallback_secret',
      KLING_BASE_URL: kling.url,
      UPSTREAM_POLL_INTERVAL_MS: '20',
    });
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([gemini.close(), runway.close(), kling.close(), receiver.close()]);
  });

  const read = async (key: string, id: string) => (await harness.graphql({ key, query: readQuery, variables: { id } })).body.data.generation;

  it("a route that accepts then fails internally hands over to the model's next route: completed there, charged its price only, one webhook, the attempt recorded", async () => {
    const account = await harness.createAccount({ credits: 10_000 });
    gemini.script([{ done: false }, { done: true, error: { code: 13, message: 'Internal error', status: 'INTERNAL' } }]);
    const created = await harness.graphql({
      key: account.liveKey,
      query: generateQuery,
      variables: { input: { provider: 'veo', type: 'VIDEO', input: { text: 'a glacier calving' }, webhookUrl: `${receiver.origin}/hook` } },
    });
    const { id, route } = created.body.data.generate;
    expect(route).toBe('gemini');
    await harness.waitForStatus(id, ['COMPLETED', 'FAILED']);
    const generation = await read(account.liveKey, id);
    expect(generation).toMatchObject({
      status: 'COMPLETED',
      provider: 'veo',
      route: 'runway',
      attempts: [
        { provider: 'veo', route: 'gemini', status: 'FAILED', code: 'GENERATION_FAILED' },
        { provider: 'veo', route: 'runway', status: 'COMPLETED', code: null },
      ],
    });
    // Runway's reported cost, not the Gemini quote: 20 Runway credits at $0.01 and 400 credits per US$.
    expect(generation.creditCost).toBe(fakeTaskCostCredits * 0.01 * 400);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(10_000 - generation.creditCost);
    await eventually(
      () => receiver.requests.filter((request) => request.rawBody.includes(id)).length,
      (count) => count >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests.filter((request) => request.rawBody.includes(id))).toHaveLength(1);
    expect(runway.posts().at(-1)!.body).toMatchObject({ model: 'veo3.1', promptText: 'a glacier calving' });
  });

  it('a dearer fallback the account cannot cover ends FAILED with INSUFFICIENT_CREDITS, fully refunded, the ledger showing each step', async () => {
    const account = await harness.createAccount({ credits: 500 });
    kling.script([{ task_status: 'processing' }, { task_status: 'failed', task_status_msg: 'internal error' }]);
    const created = await harness.graphql({
      key: account.liveKey,
      query: generateQuery,
      variables: { input: { provider: 'kling', type: 'VIDEO', input: { text: 'a koi pond' }, fallbackProviders: ['veo'] } },
    });
    const { id, creditCost } = created.body.data.generate;
    expect(creditCost).toBeLessThan(500);
    await harness.waitForStatus(id, ['COMPLETED', 'FAILED']);
    expect(await read(account.liveKey, id)).toMatchObject({ status: 'FAILED', route: 'kling', error: { code: 'INSUFFICIENT_CREDITS' } });
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(500);
    const kinds = (await readLedger(harness.gateway.redis, harness.gateway.keys, account.accountId)).filter((entry) => entry.generationId === id).map((entry) => entry.kind);
    expect(kinds).toEqual(['refund', 'reserve']);
  });

  it('a dearer fallback the account can cover reserves the difference and charges the route that made it', async () => {
    const account = await harness.createAccount({ credits: 5_000 });
    kling.script([{ task_status: 'processing' }, { task_status: 'failed', task_status_msg: 'internal error' }]);
    const created = await harness.graphql({
      key: account.liveKey,
      query: generateQuery,
      variables: { input: { provider: 'kling', type: 'VIDEO', input: { text: 'a koi pond' }, fallbackProviders: ['veo'] } },
    });
    const { id } = created.body.data.generate;
    await harness.waitForStatus(id, ['COMPLETED', 'FAILED']);
    const generation = await read(account.liveKey, id);
    expect(generation).toMatchObject({
      status: 'COMPLETED',
      provider: 'veo',
      route: 'gemini',
      attempts: [
        { provider: 'kling', route: 'kling', status: 'FAILED' },
        { provider: 'veo', route: 'gemini', status: 'COMPLETED' },
      ],
    });
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(5_000 - generation.creditCost);
    const kinds = (await readLedger(harness.gateway.redis, harness.gateway.keys, account.accountId)).filter((entry) => entry.generationId === id).map((entry) => entry.kind);
    expect(kinds).toEqual(['reserve', 'reserve']);
  });

  it('bad input never falls back: a moderation failure ends the generation where it is', async () => {
    const account = await harness.createAccount({ credits: 10_000 });
    gemini.script([{ done: true, outcome: 'filtered' }]);
    const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: { provider: 'veo', type: 'VIDEO', input: { text: 'filtered' }, fallback: 'ANY' } } });
    await harness.waitForStatus(created.body.data.generate.id, ['COMPLETED', 'FAILED']);
    expect(await read(account.liveKey, created.body.data.generate.id)).toMatchObject({
      status: 'FAILED',
      route: 'gemini',
      attempts: [{ route: 'gemini', status: 'FAILED', code: 'CONTENT_MODERATION' }],
      error: { code: 'CONTENT_MODERATION' },
    });
  });

  it('fallback NONE keeps a failure on its route', async () => {
    const account = await harness.createAccount({ credits: 10_000 });
    gemini.script([{ done: true, error: { code: 13, message: 'Internal error', status: 'INTERNAL' } }]);
    const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: { provider: 'veo', type: 'VIDEO', input: { text: 'stay' }, fallback: 'NONE' } } });
    await harness.waitForStatus(created.body.data.generate.id, ['COMPLETED', 'FAILED']);
    expect(await read(account.liveKey, created.body.data.generate.id)).toMatchObject({
      status: 'FAILED',
      route: 'gemini',
      attempts: [{ route: 'gemini', status: 'FAILED', code: 'GENERATION_FAILED' }],
    });
  });
});

describe('[sandbox:down] with a test key', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway();
  });
  afterAll(() => harness.close());

  it('with fallback ANY, the first route is down and another provider makes it', async () => {
    const account = await harness.createAccount();
    const generation = await harness.runGeneration(account.testKey, { provider: 'kling', type: 'VIDEO', input: { text: 'route down [sandbox:down]' }, fallback: 'ANY' });
    expect(generation.status).toBe('COMPLETED');
    expect(generation.provider).not.toBe('kling');
    expect(generation.attempts).toMatchObject([{ provider: 'kling', route: 'sandbox', code: 'PROVIDER_UNAVAILABLE' }]);
  });

  it('with the default (SAME_MODEL) there is no other route to go to, so it fails PROVIDER_UNAVAILABLE', async () => {
    const account = await harness.createAccount();
    const generation = await harness.runGeneration(account.testKey, { provider: 'kling', type: 'VIDEO', input: { text: 'route down [sandbox:down]' } });
    expect(generation).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE' }, attempts: [] });
  });
});

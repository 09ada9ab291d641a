import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKling, startFakeKling } from '../fakes/fake-kling.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

const credentials = { accessKey: 'ak_contract', secretKey: 'sk_contract_secret' };
const settingsFor = (fake: FakeKling, secretKey = credentials.secretKey) => ({ KLING_ACCESS_KEY: credentials.accessKey, KLING_SECRET_KEY: secretKey, KLING_BASE_URL: fake.url });
/** Kling's business code for each HTTP status the contract scripts (its error-code page). */
const businessCode: Record<number, number> = { 400: 1201, 429: 1303, 502: 5000, 503: 5001 };

function asContractFake(fake: FakeKling): ContractFake & FakeKling {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ task_status: 'processing' }, { task_status: 'succeed' }]),
    scriptRunning: () => fake.script([{ task_status: 'processing' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.refuseNextCreate(status, businessCode[status] ?? 5000, `scripted ${status}`, headers),
    answerNextPoll: (status: number) =>
      fake.answerNext({ method: 'GET', path: /^\/v1\/videos\//, status, body: { code: businessCode[status] ?? 5000, message: 'scripted', request_id: randomUUID() } }),
    submissions: () => fake.creations(),
    cancellations: () => [],
  });
}

const klingFailures: ContractFailure<FakeKling>[] = (
  [
    { upstream: 'Failure to pass the risk control system', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'internal error, please retry', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ task_status: 'processing' }, { task_status: 'failed', task_status_msg: failure.upstream }]) }));

describeConnectorContract<ContractFake & FakeKling>({
  provider: 'kling',
  async start() {
    const fake = asContractFake(await startFakeKling(credentials));
    return { fake, settings: settingsFor(fake) };
  },
  request: { type: 'VIDEO', input: {}, options: { duration: 5 } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: klingFailures,
  cancels: false,
});

describe('live kling generations', () => {
  let fake: FakeKling;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const query = 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost } }';
  const run = (input: Record<string, unknown>) => harness.runGeneration(account.liveKey, { provider: 'kling', type: 'VIDEO', ...input });

  beforeAll(async () => {
    fake = await startFakeKling(credentials);
    harness = await startTestGateway({ ...settingsFor(fake), UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('text-to-video sends Kling its body (duration as a string) and stores a playable MP4', async () => {
    const generation = await run({ input: { text: 'a red kite', negativePrompt: 'rain' }, options: { model: 'kling-v1-6', mode: 'pro', duration: 10, aspectRatio: '9:16', cfgScale: 0.7 } });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/v1/videos/text2video',
      body: { model_name: 'kling-v1-6', prompt: 'a red kite', negative_prompt: 'rain', mode: 'pro', duration: '10', aspect_ratio: '9:16', cfg_scale: 0.7, external_task_id: generation.id },
    });
    expect(generation.metadata).toMatchObject({ format: 'mp4', width: 320, height: 180 });
  });

  it('image-to-video sends a data URI as raw base64 and a URL as it is', async () => {
    const generation = await run({ input: { text: 'wave', image: 'data:image/png;base64,iVBORw0KGgo=', endImage: 'https://example.com/end.png' }, options: { model: 'kling-v2-1' } });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)).toMatchObject({ path: '/v1/videos/image2video', body: { model_name: 'kling-v2-1', image: 'iVBORw0KGgo=', image_tail: 'https://example.com/end.png' } });
  });

  it('signs each request with a JWT the fake verifies, reusing one token while it is fresh', async () => {
    const before = fake.tokens.length;
    await run({ input: { text: 'token reuse' } });
    const used = fake.tokens.slice(before);
    expect(used.length).toBeGreaterThanOrEqual(2);
    expect(new Set(used).size).toBe(1);
  });

  it('waits out code 1303 (concurrency over the resource pack) and completes', async () => {
    fake.refuseNextCreate(429, 1303, 'parallel task over resource pack limit', { 'retry-after': '0' });
    const before = fake.creations().length;
    const generation = await run({ input: { text: 'busy' } });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().length - before).toBe(2);
  });

  it('code 1301 at submission is CONTENT_MODERATION, not retried, and refunded', async () => {
    fake.refuseNextCreate(400, 1301, 'content security policy triggered');
    const credits = (await harness.gateway.accounts.get(account.accountId))!.credits;
    const before = fake.creations().length;
    const generation = await run({ input: { text: 'refused' } });
    expect(generation.error).toMatchObject({ code: 'CONTENT_MODERATION', retryable: false });
    expect(fake.creations().length - before).toBe(1);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(credits);
  });

  it('a wrong secret key is PROVIDER_UNAVAILABLE naming Kling, never the key', async () => {
    const wrong = await startTestGateway({ ...settingsFor(fake, 'sk_wrong_secret_value'), UPSTREAM_POLL_INTERVAL_MS: '20', UPSTREAM_RETRY_ATTEMPTS: '1' });
    try {
      const owner = await wrong.createAccount({ credits: 10_000 });
      const created = await wrong.graphql({ key: owner.liveKey, query, variables: { input: { provider: 'kling', type: 'VIDEO', input: { text: 'x' } } } });
      const id = created.body.data.generate.id;
      await wrong.waitForStatus(id, ['FAILED']);
      const { error } = (await wrong.gateway.repository.get(id))!;
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false });
      expect(error!.message).toContain('Kling');
      expect(error!.message).not.toContain('sk_wrong_secret_value');
    } finally {
      await wrong.close();
    }
  });
});

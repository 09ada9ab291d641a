import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMinimax, startFakeMinimax } from '../fakes/fake-minimax.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

/** MiniMax's status code for each HTTP answer the contract scripts (its error-code page). */
const statusCodeFor: Record<number, number> = { 400: 2013, 429: 1002, 502: 1033, 503: 1000 };

function asContractFake(fake: FakeMinimax): ContractFake & FakeMinimax {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ status: 'Processing' }, { status: 'Success' }]),
    scriptRunning: () => fake.script([{ status: 'Processing' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.refuseNextCreate(statusCodeFor[status] ?? 1000, status, headers),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /^\/v1\/query\//, status, body: { base_resp: { status_code: statusCodeFor[status] ?? 1000, status_msg: 'scripted' } } }),
    submissions: () => fake.creations(),
    cancellations: () => [],
  });
}

const minimaxFailures: ContractFailure<FakeMinimax>[] = (
  [
    { upstream: '1026', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: '1027', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: '1000', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ status: 'Processing' }, { status: 'Fail', statusCode: Number(failure.upstream) }]) }));

describeConnectorContract<ContractFake & FakeMinimax>({
  provider: 'minimax',
  async start() {
    const fake = asContractFake(await startFakeMinimax({ apiKey: 'mm_contract' }));
    return { fake, settings: { MINIMAX_API_KEY: 'mm_contract', MINIMAX_BASE_URL: fake.url } };
  },
  request: { type: 'VIDEO', input: {}, options: {} },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: minimaxFailures,
  cancels: false,
});

describe('live minimax generations', () => {
  let fake: FakeMinimax;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const query = 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost } }';
  const run = (input: Record<string, unknown>) => harness.runGeneration(account.liveKey, { provider: 'minimax', type: 'VIDEO', ...input });

  beforeAll(async () => {
    fake = await startFakeMinimax({ apiKey: 'mm_live' });
    harness = await startTestGateway({ MINIMAX_API_KEY: 'mm_live', MINIMAX_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('text-to-video sends MiniMax its body (resolution in capitals, style in the prompt) and stores the file it points to', async () => {
    const generation = await run({ input: { text: 'a desert at noon' }, options: { duration: 10, resolution: '768p', style: 'cinematic', promptOptimizer: false } });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)!.body).toEqual({ model: 'MiniMax-Hailuo-2.3', prompt: 'cinematic style. a desert at noon', prompt_optimizer: false, duration: 10, resolution: '768P' });
    expect(fake.requests.some((request) => request.path === '/v1/files/retrieve')).toBe(true);
    expect(generation.metadata).toMatchObject({ format: 'mp4' });
  });

  it('image-to-video sends first and last frames', async () => {
    const generation = await run({
      input: { text: 'turn around', image: 'https://example.com/a.png', endImage: 'https://example.com/b.png' },
      options: { model: 'MiniMax-Hailuo-02', resolution: '512p' },
    });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)!.body).toMatchObject({
      model: 'MiniMax-Hailuo-02',
      resolution: '512P',
      first_frame_image: 'https://example.com/a.png',
      last_frame_image: 'https://example.com/b.png',
    });
  });

  it('refuses 1080p at 10 seconds before calling MiniMax, naming the field', async () => {
    const before = fake.creations().length;
    const refused = await harness.graphql({
      key: account.liveKey,
      query,
      variables: { input: { provider: 'minimax', type: 'VIDEO', input: { text: 'x' }, options: { duration: 10, resolution: '1080p' } } },
    });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'options.duration' });
    expect(fake.creations().length).toBe(before);
  });

  it('waits out status 1002 (rate limit) and completes', async () => {
    fake.refuseNextCreate(1002, 200, { 'retry-after': '0' });
    const before = fake.creations().length;
    expect((await run({ input: { text: 'again' } })).status).toBe('COMPLETED');
    expect(fake.creations().length - before).toBe(2);
  });

  it('status 1008 (balance too low) fails at once with PROVIDER_UNAVAILABLE and is refunded', async () => {
    fake.refuseNextCreate(1008);
    const credits = (await harness.gateway.accounts.get(account.accountId))!.credits;
    const generation = await run({ input: { text: 'broke' } });
    expect(generation.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false });
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(credits);
  });
});

import LumaAI from 'lumaai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLuma, startFakeLuma } from '../fakes/fake-luma.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

function asContractFake(fake: FakeLuma): ContractFake & FakeLuma {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ state: 'dreaming' }, { state: 'completed' }]),
    scriptRunning: () => fake.script([{ state: 'dreaming' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.answerNext({ method: 'POST', path: /\/generations\/video$/, status, headers, body: { detail: `scripted ${status}` } }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /\/generations\/[^/]+$/, status, body: { detail: `scripted ${status}` } }),
    submissions: () => fake.creations(),
    cancellations: () => fake.requests.filter((request) => request.method === 'DELETE').map((request) => request.path.split('/').pop()!),
  });
}

/** Luma's documented failure reasons (its errors page), as `failure_reason` text. */
const lumaFailures: ContractFailure<FakeLuma>[] = (
  [
    { upstream: 'Prompt contains blacklisted words', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'frame moderation failed', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'failed to read user input frames', code: 'INVALID_INPUT', retryable: false, charged: false },
    { upstream: 'Internal server error', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ state: 'dreaming' }, { state: 'failed', failure_reason: failure.upstream }]) }));

describeConnectorContract<ContractFake & FakeLuma>({
  provider: 'luma',
  async start() {
    const fake = asContractFake(await startFakeLuma({ apiKey: 'luma_contract' }));
    return { fake, settings: { LUMA_API_KEY: 'luma_contract', LUMA_BASE_URL: fake.url } };
  },
  request: { type: 'VIDEO', input: {}, options: { model: 'ray-flash-2', resolution: '540p' } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: lumaFailures,
  cancels: true,
});

describe('the fake Luma API, driven by the official lumaai SDK', () => {
  it('creates a video generation and reads it until it completes with a video asset', async () => {
    const fake = await startFakeLuma({ apiKey: 'luma_sdk' });
    try {
      const client = new LumaAI({ authToken: 'luma_sdk', baseURL: `${fake.url}/dream-machine/v1`, maxRetries: 0 });
      const created = await client.generations.create({ model: 'ray-2', prompt: 'a fox in the snow', aspect_ratio: '16:9', duration: '5s', resolution: '720p' });
      let generation = await client.generations.get(created.id!);
      while (generation.state !== 'completed') generation = await client.generations.get(created.id!);
      expect(generation.assets?.video).toMatch(/\.mp4$/);
      await expect(client.generations.create({ model: 'ray-9' as 'ray-2', prompt: 'x' })).rejects.toBeInstanceOf(LumaAI.BadRequestError);
      await expect(new LumaAI({ authToken: 'wrong', baseURL: `${fake.url}/dream-machine/v1`, maxRetries: 0 }).generations.get(created.id!)).rejects.toBeInstanceOf(LumaAI.AuthenticationError);
    } finally {
      await fake.close();
    }
  });
});

describe('live luma generations', () => {
  let fake: FakeLuma;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const query = 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost } }';

  beforeAll(async () => {
    fake = await startFakeLuma({ apiKey: 'luma_live' });
    harness = await startTestGateway({ LUMA_API_KEY: 'luma_live', LUMA_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('is available, with its own route configured, exactly when LUMA_API_KEY is set', async () => {
    const luma = await harness.videoProviderRoutes(account.liveKey, 'luma');
    expect(luma).toEqual({
      id: 'luma',
      available: true,
      routes: [
        { id: 'luma', configured: true },
        { id: 'fal', configured: false },
        { id: 'replicate', configured: false },
      ],
    });
  });

  it('text-to-video sends Luma its own body and stores a playable MP4, charged the quoted price', async () => {
    const before = (await harness.gateway.accounts.get(account.accountId))!.credits;
    const created = await harness.graphql({
      key: account.liveKey,
      query,
      variables: { input: { provider: 'luma', type: 'VIDEO', input: { text: 'a paper boat' }, options: { duration: 9, aspectRatio: '9:16', loop: true } } },
    });
    const { id, creditCost } = created.body.data.generate;
    expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
    expect(fake.creations().at(-1)!.body).toEqual({ generation_type: 'video', model: 'ray-2', prompt: 'a paper boat', aspect_ratio: '9:16', duration: '9s', resolution: '720p', loop: true });
    const generation = (await harness.gateway.repository.get(id))!;
    expect(generation.metadata).toMatchObject({ format: 'mp4', width: 320, height: 180 });
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(before - creditCost);
  });

  it('image-to-video sends the images as keyframes', async () => {
    const input = { text: 'the photo comes alive', image: 'https://example.com/start.jpg', endImage: 'https://example.com/end.jpg' };
    const created = await harness.graphql({ key: account.liveKey, query, variables: { input: { provider: 'luma', type: 'VIDEO', input } } });
    expect(await harness.waitForStatus(created.body.data.generate.id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
    expect(fake.creations().at(-1)!.body.keyframes).toEqual({ frame0: { type: 'image', url: input.image }, frame1: { type: 'image', url: input.endImage } });
  });

  it('refuses a data URI keyframe before calling Luma, which fetches keyframes by URL', async () => {
    const before = fake.creations().length;
    const refused = await harness.graphql({
      key: account.liveKey,
      query,
      variables: { input: { provider: 'luma', type: 'VIDEO', input: { text: 'inline', image: 'data:image/png;base64,iVBORw0KGgo=' } } },
    });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'input.image' });
    expect(fake.creations().length).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHeygen, startFakeHeygen } from '../fakes/fake-heygen.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

function asContractFake(fake: FakeHeygen): ContractFake & FakeHeygen {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ status: 'processing' }, { status: 'completed' }]),
    scriptRunning: () => fake.script([{ status: 'processing' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) =>
      fake.answerNext({ method: 'POST', path: /^\/v3\/videos$/, status, headers, body: { error: { code: 'scripted', message: `scripted ${status}` } } }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /^\/v3\/videos\//, status, body: { error: { code: 'scripted', message: `scripted ${status}` } } }),
    submissions: () => fake.creations(),
    cancellations: () => fake.requests.filter((request) => request.method === 'DELETE').map((request) => request.path.split('/').pop()!),
  });
}

const heygenFailures: ContractFailure<FakeHeygen>[] = (
  [
    { upstream: 'CONTENT_MODERATION_FAILED', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'AVATAR_NOT_FOUND', code: 'INVALID_INPUT', retryable: false, charged: false },
    { upstream: 'RENDER_ERROR', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ status: 'processing' }, { status: 'failed', failure_code: failure.upstream, failure_message: 'it failed' }]) }));

describeConnectorContract<ContractFake & FakeHeygen>({
  provider: 'heygen',
  async start() {
    const fake = asContractFake(await startFakeHeygen({ apiKey: 'hg_contract' }));
    return { fake, settings: { HEYGEN_API_KEY: 'hg_contract', HEYGEN_BASE_URL: fake.url } };
  },
  request: { type: 'AVATAR', input: {}, options: { avatarId: 'kate' } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: heygenFailures,
  cancels: true,
});

describe('live heygen generations', () => {
  let fake: FakeHeygen;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    fake = await startFakeHeygen({ apiKey: 'hg_live' });
    harness = await startTestGateway({ HEYGEN_API_KEY: 'hg_live', HEYGEN_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it("the seeds' avatar example: a scripted avatar video with its engine, stored as MP4", async () => {
    const generation = await harness.runGeneration(account.liveKey, {
      provider: 'heygen',
      type: 'AVATAR',
      input: { text: 'Welcome to our product demo', voice: 'voice_1' },
      options: { avatarId: 'kate', background: 'modern_office', gesture: 'friendly', engine: 'avatar_v', caption: true },
    });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'heygen', metadata: { format: 'mp4' } });
    expect(fake.creations().at(-1)!.body).toEqual({
      type: 'avatar',
      avatar_id: 'kate',
      script: 'Welcome to our product demo',
      voice_id: 'voice_1',
      voice_settings: { speed: 1 },
      aspect_ratio: '16:9',
      resolution: '1080p',
      engine: { type: 'avatar_v' },
      caption: { file_format: 'srt', style: 'default' },
      motion_prompt: 'Warm, open gestures with a friendly smile',
      title: generation.id,
      callback_id: generation.id,
    });
  });

  it('lip-syncs to audio by URL with a colour background', async () => {
    const generation = await harness.runGeneration(account.liveKey, {
      provider: 'heygen',
      type: 'AVATAR',
      input: { audio: 'https://example.com/speech.mp3' },
      options: { avatarId: 'kate', background: '#123456' },
    });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)!.body).toMatchObject({ audio_url: 'https://example.com/speech.mp3', background: { type: 'color', value: '#123456' }, engine: { type: 'avatar_iv' } });
    expect(fake.creations().at(-1)!.body.script).toBeUndefined();
  });

  it('refuses audio as a data URI before calling HeyGen, which fetches audio by URL', async () => {
    const before = fake.creations().length;
    const refused = await harness.graphql({
      key: account.liveKey,
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }',
      variables: { input: { provider: 'heygen', type: 'AVATAR', input: { audio: 'data:audio/mpeg;base64,SUQz' }, options: { avatarId: 'kate' } } },
    });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'input.audio' });
    expect(fake.creations().length).toBe(before);
  });
});

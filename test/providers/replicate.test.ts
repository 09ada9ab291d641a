import Replicate from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeReplicate, startFakeReplicate } from '../fakes/fake-replicate.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';
import { itRunsSecondRoutes } from './hosted-routes.ts';

function asContractFake(fake: FakeReplicate): ContractFake & FakeReplicate {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ status: 'processing' }, { status: 'succeeded' }]),
    scriptRunning: () => fake.script([{ status: 'processing' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) =>
      fake.answerNext({ method: 'POST', path: /\/predictions$/, status, headers, body: { title: 'scripted', detail: `scripted ${status}`, status } }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /^\/v1\/predictions\//, status, body: { title: 'scripted', detail: `scripted ${status}`, status } }),
    submissions: () => fake.creations(),
    cancellations: () => fake.cancelledIds(),
  });
}

/** How a failed prediction reads (Replicate's error text; E005 is its safety checker). */
const replicateFailures: ContractFailure<FakeReplicate>[] = (
  [
    { upstream: 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'CUDA out of memory', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ status: 'processing' }, { status: 'failed', error: failure.upstream }]) }));

const replicateSettings = (fake: FakeReplicate, token: string) => ({ REPLICATE_API_TOKEN: token, REPLICATE_BASE_URL: fake.url });

describeConnectorContract<ContractFake & FakeReplicate>({
  provider: 'seedance',
  route: 'replicate',
  async start() {
    const fake = asContractFake(await startFakeReplicate({ apiToken: 'r8_contract' }));
    return { fake, settings: replicateSettings(fake, 'r8_contract') };
  },
  request: { type: 'VIDEO', input: {}, options: { resolution: '480p' } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: replicateFailures,
  cancels: true,
});

describe('the fake Replicate API, driven by the official replicate client', () => {
  it('creates a prediction of an official model and waits for its output', async () => {
    const fake = await startFakeReplicate({ apiToken: 'r8_sdk' });
    try {
      const replicate = new Replicate({ auth: 'r8_sdk', baseUrl: `${fake.url}/v1` });
      const created = await replicate.predictions.create({ model: 'bytedance/seedance-1-pro', input: { prompt: 'a lantern festival', duration: 5 } });
      const done = await replicate.wait(created, { interval: 10 });
      expect(done.status).toBe('succeeded');
      expect(String(done.output)).toMatch(/\.mp4$/);
      await expect(new Replicate({ auth: 'wrong', baseUrl: `${fake.url}/v1` }).predictions.get(created.id)).rejects.toThrow(/401/);
    } finally {
      await fake.close();
    }
  });
});

describe('live generations with only Replicate configured', () => {
  let fake: FakeReplicate;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const run = (input: Record<string, unknown>) => harness.runGeneration(account.liveKey, input);

  beforeAll(async () => {
    fake = await startFakeReplicate({ apiToken: 'r8_live' });
    harness = await startTestGateway({ ...replicateSettings(fake, 'r8_live'), UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 1_000_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('seedance makes a stored MP4 on the replicate route', async () => {
    const generation = await run({ provider: 'seedance', type: 'VIDEO', input: { text: 'a red fox runs', image: 'https://example.com/fox.png' }, options: { resolution: '720p', duration: 10 } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'replicate', metadata: { format: 'mp4' } });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/v1/models/bytedance/seedance-1-pro/predictions',
      body: { input: { prompt: 'a red fox runs', image: 'https://example.com/fox.png', resolution: '720p', duration: 10 } },
    });
  });

  it('seedream makes a stored image', async () => {
    const generation = await run({ provider: 'seedream', type: 'IMAGE', input: { text: 'a paper lantern' }, options: { size: '4K' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'replicate', metadata: { format: 'png' } });
    expect(fake.creations().at(-1)).toMatchObject({ path: '/v1/models/bytedance/seedream-4/predictions', body: { input: { prompt: 'a paper lantern', size: '4K' } } });
  });

  it('omnihuman makes a stored MP4 from a portrait and audio', async () => {
    const generation = await run({ provider: 'omnihuman', type: 'AVATAR', input: { image: 'https://example.com/face.png', audio: 'https://example.com/speech.mp3' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'replicate' });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/v1/models/bytedance/omni-human/predictions',
      body: { input: { image: 'https://example.com/face.png', audio: 'https://example.com/speech.mp3' } },
    });
  });

  it('omnihuman speaks a script first (input.text in input.voice), then lip-syncs the portrait to that speech', async () => {
    const before = fake.creations().length;
    const generation = await run({ provider: 'omnihuman', type: 'AVATAR', input: { image: 'https://example.com/face.png', text: 'Hello from genway', voice: 'Aria' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'replicate', metadata: { format: 'mp4' } });
    const [speech, video] = fake.creations().slice(before);
    expect(speech!.path).toBe('/v1/models/minimax/speech-02-turbo/predictions');
    expect(speech!.body).toEqual({ input: { text: 'Hello from genway', voice_id: 'Aria' } });
    expect(video!.path).toBe('/v1/models/bytedance/omni-human/predictions');
    expect(video!.body.input.audio).toMatch(/\/outputs\/.+\.mp3$/);
  });

  it('motion-transfer makes a stored MP4 from a character image and a dance video', async () => {
    const generation = await run({ provider: 'motion-transfer', type: 'VIDEO', input: { image: 'https://example.com/character.png', video: 'https://example.com/dance.mp4' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'replicate' });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/v1/models/wan-video/wan-2.2-animate-animation/predictions',
      body: { input: { character_image: 'https://example.com/character.png', video: 'https://example.com/dance.mp4' } },
    });
  });

  itRunsSecondRoutes('replicate', run);

  it('kling runs on the replicate route when only Replicate is configured', async () => {
    const generation = await run({ provider: 'kling', type: 'VIDEO', input: { text: 'rain on a window' }, options: { duration: 5 } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'replicate' });
    expect(fake.creations().at(-1)).toMatchObject({ path: '/v1/models/kwaivgi/kling-v1.6-standard/predictions', body: { input: { prompt: 'rain on a window', duration: 5, aspect_ratio: '16:9' } } });
  });
});

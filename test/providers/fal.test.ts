import { fal } from '@fal-ai/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeFal, startFakeFal } from '../fakes/fake-fal.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';
import { itRunsSecondRoutes } from './hosted-routes.ts';

function asContractFake(fake: FakeFal): ContractFake & FakeFal {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ status: 'IN_PROGRESS' }, { status: 'COMPLETED' }]),
    scriptRunning: () => fake.script([{ status: 'IN_PROGRESS' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.answerNext({ method: 'POST', path: /^\/fal-ai\//, status, headers, body: { detail: `scripted ${status}` } }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /\/status$/, status, body: { detail: `scripted ${status}` } }),
    submissions: () => fake.creations(),
    cancellations: () => fake.cancelled,
  });
}

/** How fal reports a failed request when its result is read (its errors docs). */
const falFailures: ContractFailure<FakeFal>[] = (
  [
    { upstream: 'content_policy_violation', error: 'content_policy', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: '422 value_error', error: 'invalid', code: 'INVALID_INPUT', retryable: false, charged: false },
    { upstream: '500', error: 'internal', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ status: 'IN_PROGRESS' }, { status: 'COMPLETED', error: failure.error }]) }));

const falSettings = (fake: FakeFal, key: string) => ({ FAL_KEY: key, FAL_QUEUE_URL: fake.url });

describeConnectorContract<ContractFake & FakeFal>({
  provider: 'seedance',
  route: 'fal',
  async start() {
    const fake = asContractFake(await startFakeFal({ apiKey: 'fal_contract' }));
    return { fake, settings: falSettings(fake, 'fal_contract') };
  },
  request: { type: 'VIDEO', input: {}, options: { resolution: '480p' } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: falFailures,
  cancels: true,
});

describe('the fake fal queue, driven by the official @fal-ai/client', () => {
  it('submits, reports status and returns the result at the paths the client builds', async () => {
    const fake = await startFakeFal({ apiKey: 'fal_sdk' });
    try {
      fal.config({ credentials: 'fal_sdk', requestMiddleware: async (request) => ({ ...request, url: request.url.replace('https://queue.fal.run', fake.url) }) });
      const endpoint = 'fal-ai/bytedance/seedance/v1/pro/text-to-video';
      const { request_id } = await fal.queue.submit(endpoint, { input: { prompt: 'a kite over the sea', resolution: '720p' } });
      let status = await fal.queue.status(endpoint, { requestId: request_id });
      while (status.status !== 'COMPLETED') status = await fal.queue.status(endpoint, { requestId: request_id });
      const result = await fal.queue.result(endpoint, { requestId: request_id });
      expect((result.data as { video: { url: string } }).video.url).toMatch(/\.mp4$/);
      expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toContain(`GET /fal-ai/bytedance/requests/${request_id}/status`);
    } finally {
      await fake.close();
    }
  });
});

describe('live generations with only fal configured', () => {
  let fake: FakeFal;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const run = (input: Record<string, unknown>) => harness.runGeneration(account.liveKey, input);

  beforeAll(async () => {
    fake = await startFakeFal({ apiKey: 'fal_live' });
    harness = await startTestGateway({ ...falSettings(fake, 'fal_live'), UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 1_000_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('seedance makes a stored MP4 on the fal route, text-to-video and image-to-video', async () => {
    const text = await run({ provider: 'seedance', type: 'VIDEO', input: { text: 'a red fox runs' }, options: { resolution: '720p', duration: 10, aspectRatio: '9:16', seed: 5 } });
    expect(text).toMatchObject({ status: 'COMPLETED', route: 'fal', metadata: { format: 'mp4' } });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/fal-ai/bytedance/seedance/v1/pro/text-to-video',
      body: { prompt: 'a red fox runs', resolution: '720p', duration: '10', aspect_ratio: '9:16', seed: 5 },
    });
    const image = await run({
      provider: 'seedance',
      type: 'VIDEO',
      input: { text: 'she waves', image: 'https://example.com/portrait.png' },
      options: { model: 'seedance-1-lite', resolution: '480p' },
    });
    expect(image.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)).toMatchObject({ path: '/fal-ai/bytedance/seedance/v1/lite/image-to-video', body: { image_url: 'https://example.com/portrait.png' } });
  });

  it('seedream makes a stored image', async () => {
    const generation = await run({ provider: 'seedream', type: 'IMAGE', input: { text: '水墨山水' }, options: { aspectRatio: '16:9', size: '2K' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'fal', metadata: { format: 'png' } });
    expect(fake.creations().at(-1)).toMatchObject({ path: '/fal-ai/bytedance/seedream/v4/text-to-image', body: { prompt: '水墨山水', image_size: { width: 2048, height: 1152 } } });
  });

  it('omnihuman makes a stored MP4 from a portrait and audio', async () => {
    const generation = await run({ provider: 'omnihuman', type: 'AVATAR', input: { image: 'https://example.com/face.png', audio: 'https://example.com/speech.mp3' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'fal' });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/fal-ai/bytedance/omnihuman/v1.5',
      body: { image_url: 'https://example.com/face.png', audio_url: 'https://example.com/speech.mp3', resolution: '720p' },
    });
  });

  it('omnihuman speaks a script first (input.text in input.voice), then lip-syncs the portrait to that speech', async () => {
    const before = fake.creations().length;
    const generation = await run({ provider: 'omnihuman', type: 'AVATAR', input: { image: 'https://example.com/face.png', text: 'Hello from genway', voice: 'Aria' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'fal', metadata: { format: 'mp4' } });
    const [speech, video] = fake.creations().slice(before);
    expect(speech!.path).toBe('/fal-ai/elevenlabs/tts/multilingual-v2');
    expect(speech!.body).toEqual({ text: 'Hello from genway', voice: 'Aria' });
    expect(video!.path).toBe('/fal-ai/bytedance/omnihuman/v1.5');
    expect(video!.body.audio_url).toMatch(/\/outputs\/.+\.mp3$/);
  });

  it('motion-transfer makes a stored MP4 from a character image and a dance video (Wan 2.2 Animate, move mode)', async () => {
    const generation = await run({ provider: 'motion-transfer', type: 'VIDEO', input: { image: 'https://example.com/character.png', video: 'https://example.com/dance.mp4' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'fal' });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/fal-ai/wan/v2.2-14b/animate/move',
      body: { image_url: 'https://example.com/character.png', video_url: 'https://example.com/dance.mp4' },
    });
  });

  it('a kling generation runs on the fal route when only fal is configured, and Generation.route says so', async () => {
    const created = await harness.graphql({
      key: account.liveKey,
      query: 'mutation { generate(input: { type: VIDEO, provider: "kling", input: { text: "a koi pond" }, options: { mode: "pro", duration: 10 } }) { id route creditCost } }',
    });
    expect(created.body.data.generate.route).toBe('fal');
    // fal's own price for Kling v1.6 pro: $0.095/s × 10 s at 400 credits per US$.
    expect(created.body.data.generate.creditCost).toBe(380);
    const id = created.body.data.generate.id;
    expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
    expect(fake.creations().at(-1)).toMatchObject({ path: '/fal-ai/kling-video/v1.6/pro/text-to-video', body: { prompt: 'a koi pond', duration: '10', aspect_ratio: '16:9' } });
  });

  itRunsSecondRoutes('fal', run);

  it('cancel of a queued request reaches the cancel_url fal returned', async () => {
    fake.script([{ status: 'IN_QUEUE', position: 3 }]);
    const created = await harness.graphql({ key: account.liveKey, query: 'mutation { generate(input: { type: VIDEO, provider: "seedance", input: { text: "wait in line" } }) { id } }' });
    const id = created.body.data.generate.id;
    const deadline = Date.now() + 5000;
    while ((await harness.gateway.repository.get(id))!.operation === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await harness.graphql({ key: account.liveKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
    while (fake.cancelled.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const operation = (await harness.gateway.repository.get(id))!.operation as { requestId: string };
    expect(fake.cancelled).toContain(operation.requestId);
    expect(fake.requests.find((request) => request.method === 'PUT')!.path).toBe(`/fal-ai/bytedance/requests/${operation.requestId}/cancel`);
  });
});

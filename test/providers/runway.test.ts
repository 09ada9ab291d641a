import { createHash } from 'node:crypto';
import RunwayML from '@runwayml/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRunway, fakeTaskCostCredits, startFakeRunway } from '../fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id status provider model creditCost } }';
const readQuery = 'query ($id: ID!) { generation(id: $id) { status progress url outputs metadata error { code message retryable } creditCost } }';

describe('downloading upstream outputs', () => {
  it('stops at MAX_OUTPUT_BYTES and fails the generation instead of storing part of a file', async () => {
    const fake = await startFakeRunway({ apiKey: 'key_small', defaultSteps: [{ status: 'SUCCEEDED' }] });
    const harness = await startTestGateway({ RUNWAY_API_KEY: 'key_small', RUNWAY_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20', MAX_OUTPUT_BYTES: '100', UPSTREAM_RETRY_ATTEMPTS: '1' });
    try {
      const account = await harness.createAccount({ credits: 10_000 });
      const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: { provider: 'runway', type: 'IMAGE', input: { text: 'too big' } } } });
      const id = created.body.data.generate.id;
      expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('FAILED');
      expect((await harness.gateway.repository.get(id))!).toMatchObject({ outputs: [], error: { code: 'GENERATION_FAILED' } });
      expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(10_000);
    } finally {
      await harness.close();
      await fake.close();
    }
  });
});

describe('the fake Runway server, driven by the official @runwayml/sdk', () => {
  let fake: FakeRunway;
  beforeAll(async () => {
    fake = await startFakeRunway({ apiKey: 'key_sdk' });
  });
  afterAll(() => fake.close());

  it('accepts a documented request, runs the task to SUCCEEDED and serves its output; refuses a bad ratio as the SDK expects', async () => {
    const client = new RunwayML({ apiKey: 'key_sdk', baseURL: fake.url, maxRetries: 0 });
    fake.script([{ status: 'SUCCEEDED' }]);
    const task = await client.imageToVideo.create({ model: 'gen4_turbo', promptImage: 'https://example.com/cat.jpg', promptText: 'a cat', ratio: '1280:720', duration: 5 }).waitForTaskOutput();
    expect(task.status).toBe('SUCCEEDED');
    const output = await fetch(task.output[0]!);
    expect(output.headers.get('content-type')).toBe('video/mp4');
    expect(fake.requests[0]!.headers['x-runway-version']).toBe('2024-11-06');
    await expect(client.textToImage.create({ model: 'gen4_image', promptText: 'x', ratio: '7:5' as '1024:1024' })).rejects.toBeInstanceOf(RunwayML.BadRequestError);
    await expect(new RunwayML({ apiKey: 'wrong', baseURL: fake.url, maxRetries: 0 }).tasks.retrieve(task.id)).rejects.toBeInstanceOf(RunwayML.AuthenticationError);
  });
});

/** Runway's fake in the contract's terms: its task scripts, scripted HTTP answers and request log. */
function asContractFake(fake: FakeRunway): ContractFake & FakeRunway {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ status: 'RUNNING', progress: 0.5 }, { status: 'SUCCEEDED' }]),
    scriptRunning: () => fake.script(Array(1000).fill({ status: 'RUNNING', progress: 0.2 })),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.answerNext({ method: 'POST', path: /\/v1\/[a-z_]+$/, status, headers, body: { error: `scripted ${status}` } }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /\/v1\/tasks\//, status, body: { error: `scripted ${status}` } }),
    submissions: () => fake.posts(),
    cancellations: () => fake.requests.filter((request) => request.method === 'DELETE').map((request) => request.path.split('/').pop()!),
  });
}

/** Runway's task failure codes (its docs' task-failures page), as the fake reports them. */
const runwayFailures: ContractFailure<FakeRunway>[] = (
  [
    { upstream: 'SAFETY.INPUT.TEXT', code: 'CONTENT_MODERATION', retryable: false, charged: true },
    { upstream: 'SAFETY.OUTPUT.VIDEO', code: 'GENERATION_FAILED', retryable: true, charged: false },
    { upstream: 'INTERNAL.BAD_OUTPUT.CODE01', code: 'GENERATION_FAILED', retryable: true, charged: false },
    { upstream: 'ASSET.INVALID', code: 'INVALID_INPUT', retryable: false, charged: false },
    { upstream: 'INPUT_PREPROCESSING.SAFETY.TEXT', code: 'INVALID_INPUT', retryable: false, charged: false },
  ] as const
).map((failure) => ({
  ...failure,
  script: (fake) =>
    fake.script([
      { status: 'RUNNING', progress: 0.1 },
      { status: 'FAILED', failure: 'nope', failureCode: failure.upstream },
    ]),
}));

for (const variant of [
  { provider: 'runway', apiKey: 'key_contract_runway', prefix: '', env: 'RUNWAY' },
  { provider: 'cometapi', apiKey: 'key_contract_comet', prefix: '/runwayml', env: 'COMETAPI' },
]) {
  describeConnectorContract<ContractFake & FakeRunway>({
    provider: variant.provider,
    async start() {
      const fake = asContractFake(await startFakeRunway({ apiKey: variant.apiKey, prefix: variant.prefix }));
      return { fake, settings: { [`${variant.env}_API_KEY`]: variant.apiKey, [`${variant.env}_BASE_URL`]: fake.url } };
    },
    request: { type: 'IMAGE', input: {}, options: { aspectRatio: '1280:720' } },
    output: { format: 'png', contentType: /^image\/png/ },
    failures: runwayFailures,
    cancels: true,
  });
}

describe('routes: runway runs on CometAPI when only CometAPI is configured', () => {
  it('lists both routes, runs the generation on cometapi and says so in Generation.route', async () => {
    const fake = await startFakeRunway({ apiKey: 'key_comet_only', prefix: '/runwayml' });
    const harness = await startTestGateway({ COMETAPI_API_KEY: 'key_comet_only', COMETAPI_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    try {
      const account = await harness.createAccount({ credits: 10_000 });
      const providers = (await harness.graphql({ key: account.liveKey, query: '{ providers(type: VIDEO) { id available routes { id configured } } }' })).body.data.providers;
      expect(providers.find((provider: { id: string }) => provider.id === 'runway')).toEqual({
        id: 'runway',
        available: true,
        routes: [
          { id: 'runway', configured: false },
          { id: 'cometapi', configured: true },
        ],
      });
      const created = await harness.graphql({
        key: account.liveKey,
        query: generateQuery.replace('creditCost', 'creditCost route'),
        variables: { input: { provider: 'runway', type: 'IMAGE', input: { text: 'via the second route' } } },
      });
      const id = created.body.data.generate.id;
      expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
      expect((await harness.graphql({ key: account.liveKey, query: 'query ($id: ID!) { generation(id: $id) { provider route } }', variables: { id } })).body.data.generation).toEqual({
        provider: 'runway',
        route: 'cometapi',
      });
      expect(fake.posts().map((post) => post.path)).toEqual(['/runwayml/v1/text_to_image']);
    } finally {
      await harness.close();
      await fake.close();
    }
  });

  it('veo runs on Runway (veo3.1 with its pixel ratio) when only Runway is configured; 4k, which Runway does not make, is refused naming the field', async () => {
    const fake = await startFakeRunway({ apiKey: 'key_veo_host' });
    const harness = await startTestGateway({ RUNWAY_API_KEY: 'key_veo_host', RUNWAY_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    try {
      const account = await harness.createAccount({ credits: 10_000 });
      const veo = await harness.videoProviderRoutes(account.liveKey, 'veo');
      expect(veo).toEqual({
        id: 'veo',
        available: true,
        routes: [
          { id: 'gemini', configured: false },
          { id: 'vertex', configured: false },
          { id: 'runway', configured: true },
          { id: 'cometapi', configured: false },
          { id: 'fal', configured: false },
          { id: 'replicate', configured: false },
        ],
      });
      const input = {
        provider: 'veo',
        type: 'VIDEO',
        input: { text: 'waves at night', negativePrompt: 'people' },
        options: { resolution: '1080p', aspectRatio: '9:16', generateAudio: false, seed: 7 },
      };
      const created = await harness.graphql({ key: account.liveKey, query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id route } }', variables: { input } });
      expect(created.body.data.generate.route).toBe('runway');
      expect(await harness.waitForStatus(created.body.data.generate.id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
      expect(fake.posts().map((post) => [post.path, post.body])).toEqual([
        ['/v1/text_to_video', { model: 'veo3.1', promptText: 'waves at night', ratio: '1080:1920', duration: 8, audio: false, negativePrompt: 'people', seed: 7 }],
      ]);
      const refused = await harness.graphql({
        key: account.liveKey,
        query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }',
        variables: { input: { ...input, options: { resolution: '4k' } } },
      });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'options.resolution' });
    } finally {
      await harness.close();
      await fake.close();
    }
  });

  it('a test key runs on the sandbox route whatever is configured', async () => {
    const harness = await startTestGateway({ RUNWAY_API_KEY: 'unused' }, { worker: false });
    try {
      const account = await harness.createAccount();
      const created = await harness.graphql({ key: account.testKey, query: 'mutation { generate(input: { type: IMAGE, provider: "runway", input: { text: "x" } }) { route } }' });
      expect(created.body.data.generate.route).toBe('sandbox');
    } finally {
      await harness.close();
    }
  });
});

for (const variant of [
  { provider: 'runway', prefix: '', settings: (fake: FakeRunway) => ({ RUNWAY_API_KEY: 'key_runway', RUNWAY_BASE_URL: fake.url }), apiKey: 'key_runway', notFoundPolls: 0 },
  { provider: 'cometapi', prefix: '/runwayml', settings: (fake: FakeRunway) => ({ COMETAPI_API_KEY: 'key_comet', COMETAPI_BASE_URL: fake.url }), apiKey: 'key_comet', notFoundPolls: 2 },
]) {
  describe(`live ${variant.provider} generations against a Runway-compatible server on loopback`, () => {
    let fake: FakeRunway;
    let harness: TestGateway;
    let account: Awaited<ReturnType<TestGateway['createAccount']>>;

    beforeAll(async () => {
      fake = await startFakeRunway({ apiKey: variant.apiKey, prefix: variant.prefix, notFoundPolls: variant.notFoundPolls });
      harness = await startTestGateway({ ...variant.settings(fake), UPSTREAM_POLL_INTERVAL_MS: '30' });
      account = await harness.createAccount({ credits: 100_000 });
    });
    afterAll(async () => {
      await harness.close();
      await fake.close();
    });

    async function run(input: Record<string, unknown>) {
      const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: { provider: variant.provider, ...input } } });
      expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
      const id = created.body.data.generate.id as string;
      await harness.waitForStatus(id, ['COMPLETED', 'FAILED', 'CANCELLED']);
      return { id, created: created.body.data.generate, read: (await harness.graphql({ key: account.liveKey, query: readQuery, variables: { id } })).body.data.generation };
    }

    it('is available in the providers list once its key is configured', async () => {
      const providers = (await harness.graphql({ key: account.liveKey, query: '{ providers { id available } }' })).body.data.providers;
      expect(providers.find((provider: { id: string }) => provider.id === variant.provider).available).toBe(true);
    });

    it('makes text-to-video, image-to-video, video-to-video, text-to-image, speech and sound effects, stored on our own storage', async () => {
      const cases = [
        {
          input: { type: 'VIDEO', input: { text: 'A serene landscape' }, options: { duration: 5, aspectRatio: '9:16' } },
          path: '/v1/text_to_video',
          body: { model: 'gen4.5', promptText: 'A serene landscape', ratio: '720:1280', duration: 5 },
          format: 'mp4',
        },
        {
          input: { type: 'VIDEO', input: { text: 'Make the character dance', image: 'https://example.com/character.jpg' }, options: { model: 'gen-3', aspectRatio: '16:9', duration: 10 } },
          path: '/v1/image_to_video',
          body: { model: 'gen4_turbo', promptImage: 'https://example.com/character.jpg', ratio: '1280:720', duration: 10 },
          format: 'mp4',
        },
        {
          input: { type: 'VIDEO', input: { text: 'A storm at sea', negativePrompt: 'boats' }, options: { model: 'veo3.1_fast', aspectRatio: '1920:1080', audio: false } },
          path: '/v1/text_to_video',
          body: { model: 'veo3.1_fast', ratio: '1920:1080', duration: 8, audio: false, negativePrompt: 'boats' },
          format: 'mp4',
        },
        {
          input: {
            type: 'VIDEO',
            input: { text: 'Turn it to winter', video: 'https://example.com/clip.mp4', references: ['https://example.com/snow.jpg', 'https://example.com/ice.jpg'] },
            options: { seed: 4_294_967_295, aspectRatio: '9:16' },
          },
          path: '/v1/video_to_video',
          body: {
            model: 'aleph2',
            videoUri: 'https://example.com/clip.mp4',
            seed: 4_294_967_295,
            targetAspectRatio: '9:16',
            keyframes: [
              { at: 0, uri: 'https://example.com/snow.jpg' },
              { at: 1, uri: 'https://example.com/ice.jpg' },
            ],
          },
          format: 'mp4',
        },
        {
          input: { type: 'IMAGE', input: { text: 'A product shot' }, options: { aspectRatio: '1360:768' } },
          path: '/v1/text_to_image',
          body: { model: 'gen4_image', ratio: '1360:768' },
          format: 'png',
        },
        {
          input: { type: 'AUDIO', input: { text: 'Welcome to the future', voice: 'rachel' } },
          path: '/v1/text_to_speech',
          body: { model: 'eleven_multilingual_v2', voice: { type: 'runway-preset', presetId: 'Rachel' } },
          format: 'wav',
        },
        {
          input: { type: 'AUDIO', input: { text: 'Thunder rolling' }, options: { task: 'sound-effect', duration: 3 } },
          path: '/v1/sound_effect',
          body: { model: 'eleven_text_to_sound_v2', duration: 3 },
          format: 'wav',
        },
      ];
      for (const testCase of cases) {
        const postsBefore = fake.posts().length;
        const { read } = await run(testCase.input);
        expect(read.status, JSON.stringify(read.error)).toBe('COMPLETED');
        expect(fake.posts().length - postsBefore).toBe(1);
        const post = fake.posts().at(-1)!;
        expect(post.path).toBe(`${variant.prefix}${testCase.path}`);
        expect(post.body).toMatchObject(testCase.body);
        expect(post.headers).toMatchObject({ authorization: `Bearer ${variant.apiKey}`, 'x-runway-version': '2024-11-06' });
        expect(read.url).toMatch(/^http:\/\/gateway\.test\/files\/gen_\w+\/0\./);
        expect(read.url).not.toContain('127.0.0.1');
        const stored = await harness.download(read.url);
        const upstream = Buffer.from(
          await (
            await fetch(`${fake.url.replace(variant.prefix, '')}/outputs/${[...fake.tasks.values()].find((task) => JSON.stringify(task.body) === JSON.stringify(post.body))!.id}.${testCase.format}`)
          ).arrayBuffer(),
        );
        expect(createHash('sha256').update(stored.bytes).digest('hex')).toBe(createHash('sha256').update(upstream).digest('hex'));
        expect(read.metadata).toMatchObject({ format: testCase.format, sizeBytes: upstream.length });
      }
    });

    it('keeps PENDING and THROTTLED as QUEUED, RUNNING as PROCESSING with progress, and settles to the cost the task reports', async () => {
      fake.script([
        { status: 'PENDING' },
        { status: 'THROTTLED' },
        { status: 'THROTTLED' },
        { status: 'RUNNING', progress: 0.3 },
        { status: 'RUNNING', progress: 0.3 },
        { status: 'RUNNING', progress: 0.3 },
        { status: 'SUCCEEDED' },
      ]);
      const created = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: { provider: variant.provider, type: 'VIDEO', input: { text: 'watch me' } } } });
      const id = created.body.data.generate.id;
      const seen = new Set<string>();
      let progressSeen = 0;
      for (let index = 0; index < 400; index++) {
        const generation = (await harness.gateway.repository.get(id))!;
        seen.add(generation.status);
        if (generation.status === 'PROCESSING') progressSeen = generation.progress;
        if (generation.status === 'COMPLETED') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect([...seen]).toEqual(['QUEUED', 'PROCESSING', 'COMPLETED']);
      expect(progressSeen).toBeCloseTo(0.3);
      const markup = variant.provider === 'cometapi' ? 1.1 : 1;
      const finalCost = Math.ceil(fakeTaskCostCredits * 0.01 * markup * 400 - 1e-9);
      expect((await harness.gateway.repository.get(id))!.creditCost).toBe(Math.min(finalCost, created.body.data.generate.creditCost));
    });

    it('submits again after an upstream INTERNAL failure', async () => {
      fake.script([{ status: 'FAILED', failureCode: 'INTERNAL', failure: 'internal error' }]);
      fake.script([{ status: 'SUCCEEDED' }]);
      const before = fake.posts().length;
      const { read } = await run({ type: 'IMAGE', input: { text: 'second time lucky' } });
      expect(read.status).toBe('COMPLETED');
      expect(fake.posts().length - before).toBe(2);
    });

    it('submits again after a task that was already RUNNING fails with INTERNAL, and completes (was: stuck PROCESSING with credits reserved)', async () => {
      fake.script([
        { status: 'RUNNING', progress: 0.4 },
        { status: 'RUNNING', progress: 0.4 },
        { status: 'FAILED', failureCode: 'INTERNAL', failure: 'internal error' },
      ]);
      fake.script([{ status: 'RUNNING', progress: 0.6 }, { status: 'SUCCEEDED' }]);
      const before = fake.posts().length;
      const { id, read } = await run({ type: 'VIDEO', input: { text: 'the second task finishes' } });
      expect(read.status, JSON.stringify(read.error)).toBe('COMPLETED');
      expect(fake.posts().length - before).toBe(2);
      expect((await harness.gateway.repository.get(id))!.resubmissions).toBe(1);
    });

    it('rejects what Runway would reject before calling it, naming the field', async () => {
      const before = fake.posts().length;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ type: 'VIDEO', input: { text: 'x' }, options: { aspectRatio: '21:9' } }, 'options.aspectRatio'],
        [{ type: 'VIDEO', input: { text: 'x', image: 'http://example.com/a.jpg' } }, 'input.image'],
        [{ type: 'VIDEO', input: { text: 'x', image: `data:image/png;base64,${'A'.repeat(7 * 1024 * 1024)}` } }, 'input.image'],
        [{ type: 'VIDEO', input: { text: 'x' }, options: { model: 'veo3.1', duration: 5 } }, 'options.duration'],
        [{ type: 'VIDEO', input: { text: 'x' }, options: { seed: 4_294_967_296 } }, 'options.seed'],
        [{ type: 'VIDEO', input: { text: 'y'.repeat(1001) } }, 'input.text'],
      ];
      for (const [input, field] of cases) {
        const response = await harness.graphql({ key: account.liveKey, query: generateQuery, variables: { input: { provider: variant.provider, ...input } } });
        expect(response.body.errors?.[0]?.extensions, field).toMatchObject({ code: 'INVALID_INPUT', field });
      }
      expect(fake.posts().length).toBe(before);
    });

    it('refuses an upstream output that is not media, keeping nothing', async () => {
      fake.answerNext({ method: 'GET', path: /^\/outputs\//, status: 200, body: { not: 'media' } });
      const { read } = await run({ type: 'IMAGE', input: { text: 'html instead of an image' } });
      expect(read).toMatchObject({ status: 'FAILED', url: null, error: { code: 'GENERATION_FAILED' } });
    });
  });
}

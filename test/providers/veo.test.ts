import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, startFakeGemini } from '../fakes/fake-gemini.ts';
import { type FakeVertex, makeServiceAccount, startFakeVertex } from '../fakes/fake-vertex.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

const statusFor: Record<number, string> = { 400: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE' };
const googleErrorBody = (status: number) => ({ error: { code: status, message: 'scripted', status: statusFor[status] ?? 'INTERNAL' } });

function asContractFake(fake: FakeGemini): ContractFake & FakeGemini {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ done: false }, { done: true, outcome: 'video' }]),
    scriptRunning: () => fake.script([{ done: false }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.answerNext({ method: 'POST', path: /:predictLongRunning$/, status, headers, body: googleErrorBody(status) }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /\/operations\//, status, body: googleErrorBody(status) }),
    submissions: () => fake.creations(),
    cancellations: () => [],
  });
}

const veoFailures: ContractFailure<FakeGemini>[] = [
  { upstream: 'raiMediaFilteredReasons', code: 'CONTENT_MODERATION', retryable: false, charged: false, script: (fake) => fake.script([{ done: false }, { done: true, outcome: 'filtered' }]) },
  {
    upstream: 'operation error INTERNAL',
    code: 'GENERATION_FAILED',
    retryable: true,
    charged: false,
    script: (fake) => fake.script([{ done: true, error: { code: 13, message: 'Internal error', status: 'INTERNAL' } }]),
  },
  {
    upstream: 'operation error INVALID_ARGUMENT',
    code: 'INVALID_INPUT',
    retryable: false,
    charged: false,
    script: (fake) => fake.script([{ done: true, error: { code: 3, message: 'bad image', status: 'INVALID_ARGUMENT' } }]),
  },
];

describeConnectorContract<ContractFake & FakeGemini>({
  provider: 'veo',
  route: 'gemini',
  async start() {
    const fake = asContractFake(await startFakeGemini({ apiKey: 'gemini_contract' }));
    return { fake, settings: { GEMINI_API_KEY: 'gemini_contract', GEMINI_BASE_URL: fake.url } };
  },
  request: { type: 'VIDEO', input: {}, options: { duration: 4, model: 'veo-3.1-fast-generate-001' } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: veoFailures,
  cancels: false,
});

describe('the fake Gemini API, driven by the official @google/genai SDK', () => {
  it('generates a video through a long-running operation and downloads it with the key', async () => {
    const fake = await startFakeGemini({ apiKey: 'gemini_sdk' });
    try {
      const ai = new GoogleGenAI({ apiKey: 'gemini_sdk', httpOptions: { baseUrl: fake.url } });
      let operation = await ai.models.generateVideos({
        model: 'veo-3.1-generate-001',
        prompt: 'a heron taking off',
        config: { aspectRatio: '16:9', durationSeconds: 8, resolution: '720p', numberOfVideos: 1 },
      });
      while (!operation.done) operation = await ai.operations.getVideosOperation({ operation });
      const uri = operation.response?.generatedVideos?.[0]?.video?.uri;
      expect(uri).toMatch(/:download\?alt=media$/);
      const video = await fetch(uri!, { headers: { 'x-goog-api-key': 'gemini_sdk' } });
      expect(video.headers.get('content-type')).toBe('video/mp4');
      await expect(new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: fake.url } }).models.generateVideos({ model: 'veo-3.1-generate-001', prompt: 'x' })).rejects.toThrow(/API key not valid/);
    } finally {
      await fake.close();
    }
  });
});

describe('live veo generations on the Gemini API', () => {
  let fake: FakeGemini;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const query = 'mutation ($input: GenerateInput!) { generate(input: $input) { id route } }';
  const run = (input: Record<string, unknown>) => harness.runGeneration(account.liveKey, { provider: 'veo', type: 'VIDEO', ...input });

  beforeAll(async () => {
    fake = await startFakeGemini({ apiKey: 'gemini_live' });
    harness = await startTestGateway({ GEMINI_API_KEY: 'gemini_live', GEMINI_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('runs on the gemini route first, which is the only one configured', async () => {
    const veo = await harness.videoProviderRoutes(account.liveKey, 'veo');
    expect(veo).toEqual({
      id: 'veo',
      available: true,
      routes: [
        { id: 'gemini', configured: true },
        { id: 'vertex', configured: false },
        { id: 'runway', configured: false },
        { id: 'cometapi', configured: false },
        { id: 'fal', configured: false },
        { id: 'replicate', configured: false },
      ],
    });
  });

  it('text-to-video sends only fields the Gemini API accepts and downloads the video with the key, through its redirect', async () => {
    const generation = await run({ input: { text: 'a lighthouse in fog', negativePrompt: 'boats' }, options: { resolution: '1080p', aspectRatio: '9:16', personGeneration: 'allow_all' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'gemini', metadata: { format: 'mp4' } });
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/v1beta/models/veo-3.1-generate-001:predictLongRunning',
      body: {
        instances: [{ prompt: 'a lighthouse in fog' }],
        parameters: { sampleCount: 1, aspectRatio: '9:16', durationSeconds: 8, resolution: '1080p', negativePrompt: 'boats', personGeneration: 'allow_all' },
      },
    });
    expect(fake.downloads().at(-1)!.headers['x-goog-api-key']).toBe('gemini_live');
  });

  it('image-to-video sends the first and last frames as inline bytes, from a data URI and from a URL', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const generation = await run({ input: { text: 'blink', image: `data:image/png;base64,${png}`, endImage: `${fake.url}/outputs/last.png` } });
    expect(generation.status).toBe('COMPLETED');
    const instance = fake.creations().at(-1)!.body.instances[0];
    expect(instance.image).toEqual({ bytesBase64Encoded: png, mimeType: 'image/png' });
    expect(instance.lastFrame.mimeType).toBe('image/png');
    expect(Buffer.from(instance.lastFrame.bytesBase64Encoded, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a seed on the Gemini API before calling it, naming the field', async () => {
    const before = fake.creations().length;
    const refused = await harness.graphql({ key: account.liveKey, query, variables: { input: { provider: 'veo', type: 'VIDEO', input: { text: 'x' }, options: { seed: 1 } } } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'options.seed' });
    expect(fake.creations().length).toBe(before);
  });

  it("waits as long as Google's RetryInfo asks when a 429 RESOURCE_EXHAUSTED has no Retry-After", async () => {
    fake.answerNext({
      method: 'POST',
      path: /:predictLongRunning$/,
      status: 429,
      body: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }] } },
    });
    const before = fake.creations().length;
    expect((await run({ input: { text: 'patience' } })).status).toBe('COMPLETED');
    const [refused, accepted] = fake.creations().slice(before);
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(950);
  });
});

const vertexProject = { project: 'genway-test', location: 'europe-west4' };
const vertexSettings = (fake: FakeVertex, file: string) => ({
  VERTEX_PROJECT: vertexProject.project,
  VERTEX_LOCATION: vertexProject.location,
  GOOGLE_APPLICATION_CREDENTIALS: file,
  VERTEX_BASE_URL: fake.url,
});

function asVertexContractFake(fake: FakeVertex): ContractFake & FakeVertex {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ done: false }, { done: true, outcome: 'video' }]),
    scriptRunning: () => fake.script([{ done: false }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.answerNext({ method: 'POST', path: /:predictLongRunning$/, status, headers, body: googleErrorBody(status) }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'POST', path: /:fetchPredictOperation$/, status, body: googleErrorBody(status) }),
    submissions: () => fake.creations(),
    cancellations: () => [],
  });
}

describeConnectorContract<ContractFake & FakeVertex>({
  provider: 'veo',
  route: 'vertex',
  async start() {
    const account = makeServiceAccount(vertexProject.project);
    const fake = asVertexContractFake(await startFakeVertex({ ...vertexProject, email: account.email, publicKey: account.publicKey }));
    return { fake, settings: vertexSettings(fake, account.file) };
  },
  request: { type: 'VIDEO', input: {}, options: { duration: 4, seed: 3 } },
  output: { format: 'mp4', contentType: /^video\/mp4/ },
  failures: veoFailures as unknown as ContractFailure<FakeVertex>[],
  cancels: false,
});

describe('live veo generations on Vertex AI', () => {
  let fake: FakeVertex;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  let serviceAccount: ReturnType<typeof makeServiceAccount>;

  beforeAll(async () => {
    serviceAccount = makeServiceAccount(vertexProject.project);
    fake = await startFakeVertex({ ...vertexProject, email: serviceAccount.email, publicKey: serviceAccount.publicKey });
    harness = await startTestGateway({ ...vertexSettings(fake, serviceAccount.file), UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it("takes a seed and silent video, authorised by the service account's signed JWT, and stores the inline video", async () => {
    const created = await harness.graphql({
      key: account.liveKey,
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id route } }',
      variables: { input: { provider: 'veo', type: 'VIDEO', input: { text: 'quiet snowfall' }, options: { seed: 42, generateAudio: false, duration: 6 } } },
    });
    expect(created.body.data.generate.route).toBe('vertex');
    const id = created.body.data.generate.id;
    expect(await harness.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
    expect(fake.creations().at(-1)).toMatchObject({
      path: '/v1/projects/genway-test/locations/europe-west4/publishers/google/models/veo-3.1-generate-001:predictLongRunning',
      body: { instances: [{ prompt: 'quiet snowfall' }], parameters: { durationSeconds: 6, generateAudio: false, seed: 42 } },
    });
    expect((await harness.gateway.repository.get(id))!.metadata).toMatchObject({ format: 'mp4', width: 320, height: 180 });
  });

  it('a service account the project does not know is PROVIDER_UNAVAILABLE, without retries', async () => {
    const stranger = makeServiceAccount(vertexProject.project);
    const wrong = await startTestGateway({ ...vertexSettings(fake, stranger.file), UPSTREAM_POLL_INTERVAL_MS: '20' });
    try {
      const owner = await wrong.createAccount({ credits: 10_000 });
      const before = fake.requests.length;
      const created = await wrong.graphql({ key: owner.liveKey, query: 'mutation { generate(input: { type: VIDEO, provider: "veo", input: { text: "x" } }) { id } }' });
      const id = created.body.data.generate.id;
      await wrong.waitForStatus(id, ['FAILED']);
      expect((await wrong.gateway.repository.get(id))!.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false });
      expect(fake.requests.length - before).toBe(1);
    } finally {
      await wrong.close();
    }
  });
});

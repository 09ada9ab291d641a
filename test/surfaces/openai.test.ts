import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { imageSize } from 'image-size';
import { parseBuffer } from 'music-metadata';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng } from '../../src/media/render-media.ts';
import { openaiRoutes } from '../../src/surfaces/openai/openai-routes.ts';
import { type FakeBfl, startFakeBfl } from '../fakes/fake-bfl.ts';
import { type FakeElevenLabs, startFakeElevenLabs } from '../fakes/fake-elevenlabs.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { waitUntil } from '../support/wait-until.ts';

/** The official `openai` package, unchanged but for its base URL and key, against /openai/v1. */
describe("OpenAI's images, speech, videos and models under /openai/v1, driven by the official openai package", () => {
  let harness: TestGateway;
  let bfl: FakeBfl;
  let elevenLabs: FakeElevenLabs;
  let baseURL: string;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  let sandbox: OpenAI;
  let live: OpenAI;

  beforeAll(async () => {
    [bfl, elevenLabs] = await Promise.all([startFakeBfl({ apiKey: 'bfl_openai' }), startFakeElevenLabs({ apiKey: 'xi_openai' })]);
    harness = await startTestGateway({
      SANDBOX_LATENCY_MS: '100',
      BFL_API_KEY: 'bfl_openai',
      BFL_BASE_URL: bfl.url,
      ELEVENLABS_API_KEY: 'xi_openai',
      ELEVENLABS_BASE_URL: elevenLabs.url,
      UPSTREAM_POLL_INTERVAL_MS: '20',
    });
    baseURL = `${await harness.listen()}/openai/v1`;
    account = await harness.createAccount({ credits: 100_000 });
    sandbox = new OpenAI({ apiKey: account.testKey, baseURL, maxRetries: 0 });
    live = new OpenAI({ apiKey: account.liveKey, baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([bfl.close(), elevenLabs.close()]);
  });

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  describe('images.generate', () => {
    it('answers the image in base64 at exactly the size asked of a provider that takes pixels', async () => {
      const response = await sandbox.images.generate({ model: 'flux-pro', prompt: 'A lighthouse at dawn', size: '1024x768', response_format: 'b64_json' });
      const bytes = Buffer.from(response.data![0]!.b64_json!, 'base64');
      expect(imageSize(bytes)).toMatchObject({ type: 'png', width: 1024, height: 768 });
    });

    it('maps size to the closest aspect ratio of a provider that takes ratios, and answers a URL this gateway serves', async () => {
      const response = await sandbox.images.generate({ model: 'seedream', prompt: 'A lighthouse at dawn', size: '1792x1024' });
      const stored = await harness.download(response.data![0]!.url!);
      const { width, height } = imageSize(stored.bytes);
      expect(width / height).toBeCloseTo(16 / 9, 1);
    });

    it('runs a live key on the provider upstream (FLUX against its fake)', async () => {
      const response = await live.images.generate({ model: 'flux-pro', prompt: 'A lighthouse at dawn', size: '1024x1024' });
      const stored = await harness.download(response.data![0]!.url!);
      expect(stored.status).toBe(200);
      expect(bfl.requests.some((request) => request.method === 'POST' && request.path.startsWith('/v1/flux-pro'))).toBe(true);
    });

    it('refuses n above what the provider makes in one request, naming n', async () => {
      const error = await errorOf(sandbox.images.generate({ model: 'flux-pro', prompt: 'Two lighthouses', n: 2 }));
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: 'n', code: 'invalid_value' });
    });

    it("refuses a size the provider's own rules reject as a BadRequestError naming size", async () => {
      const error = await errorOf(sandbox.images.generate({ model: 'flux-pro', prompt: 'A lighthouse', size: '1000x1000' }));
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ param: 'size', type: 'invalid_request_error' });
    });

    it('answers an unknown model as a NotFoundError with code model_not_found', async () => {
      const error = await errorOf(sandbox.images.generate({ model: 'dall-e-9', prompt: 'A lighthouse' }));
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    });

    it('answers insufficient credits as OpenAI does: 429 insufficient_quota', async () => {
      const broke = await harness.createAccount({ credits: 0 });
      const client = new OpenAI({ apiKey: broke.liveKey, baseURL, maxRetries: 0 });
      const error = await errorOf(client.images.generate({ model: 'sandbox', prompt: 'A lighthouse' }));
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    });

    it('answers a generation that fails upstream as a server error with its code', async () => {
      const error = await errorOf(sandbox.images.generate({ model: 'seedream', prompt: 'A lighthouse [sandbox:fail]' }));
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 500, code: 'generation_failed', type: 'server_error' });
    });

    it('answers the same image for the same Idempotency-Key sent twice', async () => {
      const request = { model: 'seedream', prompt: 'One image only' };
      const options = { headers: { 'Idempotency-Key': 'openai-image-once' } };
      const first = await sandbox.images.generate(request, options);
      const second = await sandbox.images.generate(request, options);
      expect(second.data![0]!.url).toBe(first.data![0]!.url);
    });

    it('cancels an image that outlasts the wait and answers a server error with code timeout', async () => {
      // The surface alone on its own app, with a wait shorter than a slow sandbox run.
      const app = Fastify();
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      for (const name of ['caller', 'rateLimit', 'idempotencyKey']) app.decorateRequest(name, null);
      await app.register(openaiRoutes(harness.gateway, { waitMs: 300 }), { prefix: '/openai/v1' });
      const origin = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const client = new OpenAI({ apiKey: account.testKey, baseURL: `${origin}/openai/v1`, maxRetries: 0 });
        const error = await errorOf(client.images.generate({ model: 'seedream', prompt: 'A lighthouse [sandbox:slow]' }));
        expect(error).toBeInstanceOf(OpenAI.InternalServerError);
        expect(error).toMatchObject({ code: 'timeout' });
        const { items } = await harness.gateway.service.list({ accountId: account.accountId, mode: 'test' }, 1, undefined, { type: 'IMAGE' });
        expect(items[0]).toMatchObject({ status: 'CANCELLED', input: { text: 'A lighthouse [sandbox:slow]' } });
      } finally {
        await app.close();
      }
    });

    it('answers a wrong key as an AuthenticationError', async () => {
      const client = new OpenAI({ apiKey: 'gw_test_nope', baseURL, maxRetries: 0 });
      const error = await errorOf(client.images.generate({ model: 'flux-pro', prompt: 'A lighthouse' }));
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({ code: 'invalid_api_key' });
    });
  });

  describe('audio.speech.create', () => {
    it('answers wav bytes that decode, from a test key', async () => {
      const response = await sandbox.audio.speech.create({ model: 'elevenlabs', input: 'Hello there', voice: 'rachel', response_format: 'wav' });
      expect(response.headers.get('content-type')).toBe('audio/wav');
      const metadata = await parseBuffer(Buffer.from(await response.arrayBuffer()), { mimeType: 'audio/wav' });
      expect(metadata.format.container).toBe('WAVE');
      expect(metadata.format.duration).toBeGreaterThan(0);
    });

    it('answers mp3 bytes that decode, from a live key on ElevenLabs (against its fake)', async () => {
      const response = await live.audio.speech.create({ model: 'elevenlabs', input: 'Hello there', voice: 'rachel', response_format: 'mp3' });
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      const metadata = await parseBuffer(Buffer.from(await response.arrayBuffer()), { mimeType: 'audio/mpeg' });
      expect(metadata.format.container).toBe('MPEG');
      expect(elevenLabs.requests.some((request) => request.query.get('output_format')?.startsWith('mp3_'))).toBe(true);
    });

    it('answers pcm as raw 16-bit samples (the sandbox WAV without its header)', async () => {
      const response = await sandbox.audio.speech.create({ model: 'elevenlabs', input: 'Hello there', voice: 'rachel', response_format: 'pcm' });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(response.headers.get('content-type')).toBe('audio/pcm');
      expect(bytes.length % 2).toBe(0);
      expect(bytes.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    });

    it('refuses a format it cannot produce, naming response_format', async () => {
      const error = await errorOf(sandbox.audio.speech.create({ model: 'elevenlabs', input: 'Hello', voice: 'rachel', response_format: 'flac' }));
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ param: 'response_format' });
    });
  });

  describe('videos', () => {
    it('creates a video, reports it until completed, lists it and serves its MP4', async () => {
      const created = await sandbox.videos.create({ model: 'veo', prompt: 'Waves on a beach', seconds: '4', size: '1280x720' });
      expect(created).toMatchObject({ object: 'video', status: 'queued', model: 'veo' });
      await waitUntil(async () => (await sandbox.videos.retrieve(created.id)).status === 'completed', 'the video completing');
      const video = await sandbox.videos.retrieve(created.id);
      expect(video).toMatchObject({ progress: 100, seconds: '4', error: null });
      const page = await sandbox.videos.list();
      expect(page.data.map((each) => each.id)).toContain(created.id);
      const content = Buffer.from(await (await sandbox.videos.downloadContent(created.id)).arrayBuffer());
      expect(content.subarray(4, 8).toString('latin1')).toBe('ftyp');
    });

    it('takes an image file as input_reference', async () => {
      const image = await toFile(Buffer.from(renderPng(64, 36, paletteFor('openai', 1))), 'first.png', { type: 'image/png' });
      const created = await sandbox.videos.create({ model: 'veo', prompt: 'The scene comes alive', input_reference: image, seconds: '4' });
      expect((await harness.gateway.service.get({ accountId: account.accountId, mode: 'test' }, created.id)).input.image).toMatch(/^data:image\/png;base64,/);
    });

    it('takes { image_url } as input_reference', async () => {
      const imageUrl = `data:image/png;base64,${Buffer.from(renderPng(64, 36, paletteFor('openai', 2))).toString('base64')}`;
      const created = await sandbox.videos.create({ model: 'veo', prompt: 'The scene comes alive', input_reference: { image_url: imageUrl }, seconds: '4' });
      expect((await harness.gateway.service.get({ accountId: account.accountId, mode: 'test' }, created.id)).input.image).toBe(imageUrl);
    });

    it('deletes a video by cancelling it: it reads failed with code cancelled', async () => {
      const created = await sandbox.videos.create({ model: 'veo', prompt: 'Waves [sandbox:slow]', seconds: '4' });
      expect(await sandbox.videos.delete(created.id)).toMatchObject({ id: created.id, deleted: true, object: 'video.deleted' });
      expect(await sandbox.videos.retrieve(created.id)).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
    });

    it('creates one video for the same Idempotency-Key sent twice', async () => {
      const body = { model: 'veo', prompt: 'Once only', seconds: '4' } as const;
      const first = await sandbox.videos.create(body, { headers: { 'Idempotency-Key': 'openai-video-once' } });
      const second = await sandbox.videos.create(body, { headers: { 'Idempotency-Key': 'openai-video-once' } });
      expect(second.id).toBe(first.id);
    });

    it('answers a video the caller does not own as a NotFoundError', async () => {
      const error = await errorOf(sandbox.videos.retrieve('gen_not_there'));
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    });
  });

  it('lists the providers as models', async () => {
    const models = await sandbox.models.list();
    expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['flux-pro', 'seedream', 'elevenlabs', 'veo', 'sandbox']));
  });
});

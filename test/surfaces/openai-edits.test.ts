import { imageSize } from 'image-size';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng } from '../../src/media/render-media.ts';
import { uploadIdOf } from '../../src/uploads/upload-uri.ts';
import { type FakeBfl, startFakeBfl } from '../fakes/fake-bfl.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** The official `openai` package's `images.edit`, unchanged but for its base URL and key, against /openai/v1. */
describe('OpenAI images.edit under /openai/v1, driven by the official openai package', () => {
  let harness: TestGateway;
  let bfl: FakeBfl;
  let baseURL: string;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  let sandbox: OpenAI;
  let live: OpenAI;

  beforeAll(async () => {
    bfl = await startFakeBfl({ apiKey: 'bfl_edits' });
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '100', BFL_API_KEY: 'bfl_edits', BFL_BASE_URL: bfl.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    baseURL = `${await harness.listen()}/openai/v1`;
    account = await harness.createAccount({ credits: 100_000 });
    sandbox = new OpenAI({ apiKey: account.testKey, baseURL, maxRetries: 0 });
    live = new OpenAI({ apiKey: account.liveKey, baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await harness.close();
    await bfl.close();
  });

  const pngBytes = (seed: number) => Buffer.from(renderPng(64, 48, paletteFor('edits', seed)));
  const png = (seed: number) => toFile(pngBytes(seed), `photo-${seed}.png`, { type: 'image/png' });
  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );
  const testPrincipal = () => ({ accountId: account.accountId, mode: 'test' as const });
  const generationsOf = async () => (await harness.gateway.service.list(testPrincipal(), 100, undefined, { type: 'IMAGE' })).items;

  it('edits one uploaded image with a test key and answers it in base64', async () => {
    const response = await sandbox.images.edit({ image: await png(1), prompt: 'Make it night', model: 'flux-kontext', response_format: 'b64_json' });
    expect(imageSize(Buffer.from(response.data![0]!.b64_json!, 'base64')).type).toBe('png');
  });

  it("stores the uploaded image as the generation's input.image, an upload of the caller's account", async () => {
    await sandbox.images.edit({ image: await png(2), prompt: 'Add a moon', model: 'flux-kontext' });
    const [latest] = await generationsOf();
    expect(uploadIdOf(latest!.input.image ?? '')).not.toBeNull();
  });

  it('sends several images (image[]) as input.image and references', async () => {
    await sandbox.images.edit({ image: [await png(3), await png(4)], prompt: 'Put them side by side', model: 'seedream' });
    const [latest] = await generationsOf();
    expect(uploadIdOf(latest!.input.image ?? '')).not.toBeNull();
    expect(latest!.input.references).toHaveLength(1);
  });

  it('hands the uploaded image to FLUX Kontext upstream with a live key: the bytes it fetches are the ones sent', async () => {
    const response = await live.images.edit({ image: await png(5), prompt: 'Make it night', model: 'flux-kontext' });
    expect((await harness.download(response.data![0]!.url!)).status).toBe(200);
    const sent = bfl.creations().at(-1)!;
    expect(sent.path).toMatch(/^\/v1\/flux-kontext/);
    const link = (sent.body as { input_image: string }).input_image;
    expect(Buffer.from((await harness.download(link)).bytes).equals(pngBytes(5))).toBe(true);
  });

  it('refuses a model that does not edit images as a BadRequestError naming model', async () => {
    const error = await errorOf(sandbox.images.edit({ image: await png(6), prompt: 'Make it night', model: 'flux-dev' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'model', code: 'invalid_value' });
  });

  it('refuses a model that makes no images as a BadRequestError naming model', async () => {
    const error = await errorOf(sandbox.images.edit({ image: await png(7), prompt: 'Make it night', model: 'elevenlabs' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'model' });
  });

  it('answers an unknown model as a NotFoundError with code model_not_found', async () => {
    const error = await errorOf(sandbox.images.edit({ image: await png(8), prompt: 'Make it night', model: 'gpt-image-9' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  });

  it('refuses a mask no provider can apply, naming mask', async () => {
    const error = await errorOf(sandbox.images.edit({ image: await png(9), mask: await png(10), prompt: 'Only the sky', model: 'flux-kontext' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'mask' });
  });

  it('refuses a file that is not an image, naming image', async () => {
    const text = await toFile(Buffer.from('not a picture at all'), 'notes.png', { type: 'image/png' });
    const error = await errorOf(sandbox.images.edit({ image: text, prompt: 'Make it night', model: 'flux-kontext' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'image' });
  });

  it('refuses a malformed size as a BadRequestError naming size', async () => {
    const error = await errorOf(sandbox.images.edit({ image: await png(11), prompt: 'Make it night', model: 'flux-kontext', size: 'large' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'size' });
  });

  it('answers insufficient credits as OpenAI does: 429 insufficient_quota', async () => {
    const broke = await harness.createAccount({ credits: 0 });
    const client = new OpenAI({ apiKey: broke.liveKey, baseURL, maxRetries: 0 });
    const error = await errorOf(client.images.edit({ image: await png(12), prompt: 'Make it night', model: 'flux-kontext' }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
  });

  it('creates one generation for the same Idempotency-Key sent twice', async () => {
    const before = (await generationsOf()).length;
    const options = { headers: { 'Idempotency-Key': 'openai-edit-once' } };
    const first = await sandbox.images.edit({ image: await png(13), prompt: 'One edit only', model: 'flux-kontext' }, options);
    const second = await sandbox.images.edit({ image: await png(13), prompt: 'One edit only', model: 'flux-kontext' }, options);
    expect(second.data![0]!.url).toBe(first.data![0]!.url);
    expect((await generationsOf()).length).toBe(before + 1);
  });
});

import { experimental_generateSpeech, experimental_generateVideo, generateImage } from 'ai';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { parseBuffer } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenway, GenwayError, type GenwayProvider } from '../../src/ai-sdk/index.ts';
import { type FakeBfl, startFakeBfl } from '../fakes/fake-bfl.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** The installed `ai` package, unchanged, driving genway's AI SDK provider against a gateway on a real socket. */
describe("genway's Vercel AI SDK provider, driven by the ai package's generateImage, generateSpeech and generateVideo", () => {
  let harness: TestGateway;
  let bfl: FakeBfl;
  let sandbox: GenwayProvider;
  let live: GenwayProvider;
  let broke: GenwayProvider;

  beforeAll(async () => {
    globalThis.AI_SDK_LOG_WARNINGS = false; // the tests read the warnings themselves
    bfl = await startFakeBfl({ apiKey: 'bfl_ai_sdk' });
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '100', BFL_API_KEY: 'bfl_ai_sdk', BFL_BASE_URL: bfl.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    const baseURL = await harness.listen();
    // Output URLs name the test gateway's PUBLIC_URL; the provider's fetch setting reaches it on the listening socket.
    const fetchThroughSocket: typeof fetch = (url, init) => fetch(String(url).replace('http://gateway.test', baseURL), init);
    const provider = (apiKey: string) => createGenway({ baseURL, apiKey, fetch: fetchThroughSocket, pollIntervalMs: 50 });
    const [account, poor] = await Promise.all([harness.createAccount({ credits: 100_000 }), harness.createAccount({ credits: 0 })]);
    sandbox = provider(account.testKey);
    live = provider(account.liveKey);
    broke = provider(poor.liveKey);
  });
  afterAll(async () => {
    await harness.close();
    await bfl.close();
  });

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it('makes an image whose bytes are a PNG at exactly the size asked', async () => {
    const { image } = await generateImage({ model: sandbox.image('flux-pro'), prompt: 'A lighthouse at dawn', size: '1024x768' });
    expect(imageSize(image.uint8Array)).toMatchObject({ type: 'png', width: 1024, height: 768 });
  });

  it("maps aspectRatio onto a provider that takes ratios (Seedream's 16:9)", async () => {
    const { image } = await generateImage({ model: sandbox.image('seedream'), prompt: 'A lighthouse at dawn', aspectRatio: '16:9' });
    const { width, height } = imageSize(image.uint8Array);
    expect(width / height).toBeCloseTo(16 / 9, 1);
  });

  it('passes providerOptions.genway through as genway options', async () => {
    const { image } = await generateImage({ model: sandbox.image('sandbox'), prompt: 'A lighthouse', providerOptions: { genway: { width: 320, height: 240 } } });
    expect(imageSize(image.uint8Array)).toMatchObject({ width: 320, height: 240 });
  });

  it('makes speech whose bytes decode as audio', async () => {
    const { audio } = await experimental_generateSpeech({ model: sandbox.speech('elevenlabs'), text: 'Hello from genway.', voice: 'rachel' });
    const metadata = await parseBuffer(audio.uint8Array);
    expect(metadata.format.duration).toBeGreaterThan(0);
  });

  it('makes a video whose bytes are an MP4', async () => {
    const { video } = await experimental_generateVideo({ model: sandbox.video('runway'), prompt: 'A serene lake at sunset', aspectRatio: '16:9', duration: 5 });
    expect(await fileTypeFromBuffer(video.uint8Array)).toMatchObject({ mime: 'video/mp4' });
  });

  it('warns of a setting genway does not support (fps)', async () => {
    const result = await experimental_generateVideo({ model: sandbox.video('sandbox'), prompt: 'A serene lake', duration: 1, fps: 60 });
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'fps' }));
  });

  it('warns of a speech setting genway does not support (speed)', async () => {
    const result = await experimental_generateSpeech({ model: sandbox.speech('sandbox'), text: 'Hello.', speed: 1.5 });
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'speed' }));
  });

  it('runs a live key on the provider upstream (FLUX against its fake)', async () => {
    const { image } = await generateImage({ model: live.image('flux-pro'), prompt: 'A lighthouse at dawn', size: '1024x1024' });
    expect(image.uint8Array.length).toBeGreaterThan(0);
    expect(bfl.requests.some((request) => request.method === 'POST' && request.path.startsWith('/v1/flux-pro'))).toBe(true);
  });

  it('a generation the sandbox fails arrives as a GenwayError with its code', async () => {
    const error = await errorOf(generateImage({ model: sandbox.image('flux-pro'), prompt: '[sandbox:fail] a lighthouse', maxRetries: 0 }));
    expect(error).toBeInstanceOf(GenwayError);
    expect(error).toMatchObject({ code: 'GENERATION_FAILED' });
  });

  it("bad input arrives as a GenwayError with INVALID_INPUT naming the SDK's own setting (size)", async () => {
    const error = await errorOf(generateImage({ model: sandbox.image('flux-pro'), prompt: 'A lighthouse', size: '1000x1000', maxRetries: 0 }));
    expect(error).toBeInstanceOf(GenwayError);
    expect({ code: (error as GenwayError).code, field: (error as GenwayError).field }).toEqual({ code: 'INVALID_INPUT', field: 'size' });
  });

  it('bad input in providerOptions.genway is named by its path there', async () => {
    const error = await errorOf(experimental_generateVideo({ model: sandbox.video('runway'), prompt: 'A lake', providerOptions: { genway: { duration: 999 } }, maxRetries: 0 }));
    expect(error).toBeInstanceOf(GenwayError);
    expect({ code: (error as GenwayError).code, field: (error as GenwayError).field }).toEqual({ code: 'INVALID_INPUT', field: 'providerOptions.genway.duration' });
  });

  it('an unknown model arrives as a GenwayError with its code', async () => {
    const error = await errorOf(generateImage({ model: sandbox.image('no-such-provider'), prompt: 'A lighthouse', maxRetries: 0 }));
    expect(error).toBeInstanceOf(GenwayError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a live key without credits arrives as a GenwayError with INSUFFICIENT_CREDITS', async () => {
    const error = await errorOf(generateImage({ model: broke.image('flux-pro'), prompt: 'A lighthouse', maxRetries: 0 }));
    expect(error).toBeInstanceOf(GenwayError);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_CREDITS' });
  });

  it('the same Idempotency-Key twice makes one generation', async () => {
    const call = () => generateImage({ model: sandbox.image('sandbox'), prompt: 'One lighthouse', headers: { 'Idempotency-Key': 'ai-sdk-once' } });
    const first = await call();
    const second = await call();
    const generationOf = (result: typeof first) => (result.providerMetadata.genway?.images[0] as { generationId?: string } | undefined)?.generationId;
    expect(generationOf(first)).toEqual(expect.any(String));
    expect(generationOf(second)).toBe(generationOf(first));
  });
});

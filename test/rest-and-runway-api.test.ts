import RunwayML from '@runwayml/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

describe('the Runway-compatible API under /runway, used by the official @runwayml/sdk unchanged', () => {
  let harness: TestGateway;
  let baseUrl: string;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '300' });
    baseUrl = await harness.listen();
    account = await harness.createAccount();
  });
  afterAll(() => harness.close());

  it('creates image-to-video, text-to-video and text-to-image tasks that succeed with our output URLs', async () => {
    const client = new RunwayML({ apiKey: account.testKey, baseURL: `${baseUrl}/runway`, maxRetries: 0 });
    const [video, fromText, image] = await Promise.all([
      client.imageToVideo.create({ model: 'gen4_turbo', promptImage: 'https://example.com/cat.jpg', promptText: 'A sunset timelapse', ratio: '1280:720', duration: 5 }).waitForTaskOutput(),
      client.textToVideo.create({ model: 'gen4.5', promptText: 'A serene landscape', ratio: '720:1280', duration: 5 }).waitForTaskOutput(),
      client.textToImage.create({ model: 'gen4_image', promptText: 'A product shot', ratio: '1360:768' }).waitForTaskOutput(),
    ]);
    for (const task of [video, fromText, image]) {
      expect(task.status).toBe('SUCCEEDED');
      expect(task.output[0]).toMatch(/^http:\/\/gateway\.test\/files\/gen_\w+\/0\.(mp4|png)$/);
    }
    const png = await harness.download(image.output[0]!);
    expect(png.contentType).toBe('image/png');
    const stored = (await harness.gateway.repository.get(image.id))!;
    expect(stored).toMatchObject({ provider: 'runway', route: 'sandbox', metadata: { width: 1360, height: 768 } });
    expect((await harness.gateway.repository.get(fromText.id))!.metadata).toMatchObject({ format: 'mp4' });
  });

  it("cancels with tasks.delete, answers a bad ratio with the SDK's BadRequestError and a bad key with AuthenticationError", async () => {
    const client = new RunwayML({ apiKey: account.testKey, baseURL: `${baseUrl}/runway`, maxRetries: 0 });
    const created = await client.textToVideo.create({ model: 'gen4.5', promptText: '[sandbox:slow] cancel me', ratio: '1280:720', duration: 5 });
    await client.tasks.delete(created.id);
    expect(await client.tasks.retrieve(created.id)).toMatchObject({ id: created.id, status: 'CANCELLED' });
    await expect(client.imageToVideo.create({ model: 'gen4_turbo', promptImage: 'https://example.com/a.jpg', ratio: '7:5' as '1280:720' })).rejects.toBeInstanceOf(RunwayML.BadRequestError);
    await expect(new RunwayML({ apiKey: 'gw_test_nope', baseURL: `${baseUrl}/runway`, maxRetries: 0 }).tasks.retrieve(created.id)).rejects.toBeInstanceOf(RunwayML.AuthenticationError);
    await expect(client.tasks.retrieve('gen_missing')).rejects.toBeInstanceOf(RunwayML.NotFoundError);
  });

  it("requires X-Runway-Version, answers Runway's error body, and reports the organization", async () => {
    const missingVersion = await fetch(`${baseUrl}/runway/v1/organization`, { headers: { authorization: `Bearer ${account.testKey}` } });
    expect(missingVersion.status).toBe(400);
    expect(await missingVersion.json()).toMatchObject({ error: expect.stringContaining('X-Runway-Version'), code: 'INVALID_INPUT' });
    const client = new RunwayML({ apiKey: account.liveKey, baseURL: `${baseUrl}/runway`, maxRetries: 0 });
    expect(await client.organization.retrieve()).toMatchObject({ creditBalance: 1000 });
  });

  it('routes a live key to the provider its header or its account names, which must be configured', async () => {
    const client = new RunwayML({ apiKey: account.liveKey, baseURL: `${baseUrl}/runway`, maxRetries: 0 });
    const refused = client.textToImage.create({ model: 'gen4_image', promptText: 'x', ratio: '1024:1024' }, { headers: { 'X-Genway-Provider': 'cometapi' } });
    await expect(refused).rejects.toMatchObject({ status: 503 });
    await harness.gateway.runwayAccounts.setProvider(account.accountId, 'sandbox');
    const routed = await client.textToImage.create({ model: 'gen4_image', promptText: 'by account setting', ratio: '1024:1024' });
    expect((await harness.gateway.repository.get(routed.id))!).toMatchObject({ provider: 'sandbox', route: 'sandbox', mode: 'live' });
  });
});

describe("the seed's REST API", () => {
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '200' });
    account = await harness.createAccount();
  });
  afterAll(() => harness.close());

  it("POST /v1/text_to_video with the seed's parameters and X-API-Key makes a generation that completes", async () => {
    const payload =
      '{"service":"runway","prompt":"A serene landscape with mountains and a lake at sunset","duration":5,"aspectRatio":"16:9","version":"gen-4","webhookUrl":"https://your-webhook.com/callback"}';
    const created = await harness.app.inject({ method: 'POST', url: '/v1/text_to_video', headers: { 'content-type': 'application/json', 'x-api-key': account.testKey }, payload });
    expect(created.statusCode).toBe(200);
    const body = created.json();
    expect(body.data.generatevideo).toMatchObject({ status: 'queued', url: null, webhookUrl: 'https://your-webhook.com/callback', service: 'runway' });
    expect(Date.parse(body.data.generatevideo.createdAt)).toBeGreaterThan(0);
    expect(created.headers['x-ratelimit-limit']).toBe('60');
    const id = body.data.generatevideo.id;
    await harness.waitForStatus(id, ['COMPLETED']);
    const read = await harness.app.inject({ method: 'GET', url: `/v1/generations/${id}`, headers: { 'x-api-key': account.testKey } });
    expect(read.json().data.generation).toMatchObject({ id, status: 'completed', metadata: { format: 'mp4', duration: 5 } });
  });

  it("serves image, speech and providers routes, cancels with DELETE, and answers errors in the seed's shape", async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${account.testKey}` };
    const image = await harness.app.inject({ method: 'POST', url: '/v1/text_to_image', headers, payload: { service: 'flux-ultra', prompt: 'a portrait', aspectRatio: '16:9' } });
    expect(image.json().data.generateimage).toMatchObject({ status: 'queued', service: 'flux-ultra' });
    const speech = await harness.app.inject({ method: 'POST', url: '/v1/text_to_speech', headers, payload: { service: 'elevenlabs', text: 'Hello', voice: 'rachel' } });
    expect(speech.json().data.generateaudio).toMatchObject({ status: 'queued', type: 'AUDIO' });
    const animate = await harness.app.inject({
      method: 'POST',
      url: '/v1/image_to_video',
      headers,
      payload: { service: 'runway', prompt: '[sandbox:slow] dance', image: 'https://example.com/character.jpg' },
    });
    const cancel = await harness.app.inject({ method: 'DELETE', url: `/v1/generations/${animate.json().data.generatevideo.id}`, headers: { 'x-api-key': account.testKey } });
    expect(cancel.json()).toEqual({ data: { cancelGeneration: true } });
    const providers = await harness.app.inject({ method: 'GET', url: '/v1/providers?type=AUDIO', headers: { 'x-api-key': account.testKey } });
    expect(providers.json().data.providers.map((provider: { id: string }) => provider.id)).toEqual(['runway', 'cometapi', 'elevenlabs', 'sandbox']);

    const invalid = await harness.app.inject({ method: 'POST', url: '/v1/text_to_video', headers, payload: { service: 'runway', prompt: 'x', duration: 60 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ errors: [{ message: expect.any(String), extensions: { code: 'INVALID_INPUT', field: 'options.duration' } }] });
    const badType = await harness.app.inject({ method: 'POST', url: '/v1/text_to_video', headers, payload: { service: 7 } });
    expect(badType.json().errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'service' });
    const unauthenticated = await harness.app.inject({ method: 'GET', url: '/v1/providers' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const poor = await harness.createAccount({ credits: 0 });
    const noCredits = await harness.app.inject({
      method: 'POST',
      url: '/v1/text_to_image',
      headers: { 'content-type': 'application/json', 'x-api-key': poor.liveKey },
      payload: { service: 'sandbox', prompt: 'x' },
    });
    expect(noCredits.statusCode).toBe(402);
    expect(noCredits.json().errors[0].extensions).toEqual({ code: 'INSUFFICIENT_CREDITS', creditsRequired: 1, creditsAvailable: 0 });
  });

  it('replays an Idempotency-Key on REST as on GraphQL', async () => {
    const request = {
      method: 'POST' as const,
      url: '/v1/text_to_image',
      headers: { 'content-type': 'application/json', 'x-api-key': account.liveKey, 'idempotency-key': 'rest-1' },
      payload: { service: 'sandbox', prompt: 'once' },
    };
    const first = await harness.app.inject(request);
    const second = await harness.app.inject(request);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().data.generateimage.id).toBe(first.json().data.generateimage.id);
  });

  it('publishes an OpenAPI document made from the route schemas', async () => {
    const document = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/text_to_video', '/v1/generations/{id}', '/runway/v1/image_to_video', '/runway/v1/tasks/{id}']));
    expect(document.paths['/v1/text_to_video'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('service');
  });
});

import { ApiError, createFalClient, type FalClient, type QueueStatus, ValidationError } from '@fal-ai/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeFal, startFakeFal } from '../fakes/fake-fal.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

type Images = { images: Array<{ url: string; width: number; height: number; content_type: string }>; seed?: number };
type Video = { video: { url: string; content_type: string } };
type Audio = { audio: { url: string } };

/** What a thrown call rejected with, for asserting on the client's own error classes. */
async function rejectionOf(call: Promise<unknown>): Promise<ApiError<{ detail: unknown; error_type: string }>> {
  try {
    await call;
  } catch (error) {
    return error as ApiError<{ detail: unknown; error_type: string }>;
  }
  throw new Error('the call did not fail');
}

describe('the fal proxy at /fal/proxy, used by the official @fal-ai/client unchanged', () => {
  let harness: TestGateway;
  let fakeFal: FakeFal;
  let proxyUrl: string;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  /** The client as a server-side app configures it: this proxy always, and a genway key as its credentials. */
  const clientFor = (key: string): FalClient => createFalClient({ credentials: key, proxyUrl: { url: proxyUrl, when: 'always' }, retry: { maxRetries: 0 } });

  beforeAll(async () => {
    fakeFal = await startFakeFal({ apiKey: 'fal_operator_key' });
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '300', FAL_KEY: 'fal_operator_key', FAL_QUEUE_URL: fakeFal.url });
    proxyUrl = `${await harness.listen()}/fal/proxy`;
    account = await harness.createAccount();
  });
  afterAll(async () => {
    await harness.close();
    await fakeFal.close();
  });

  it('fal.subscribe runs a FLUX image in the sandbox with queue updates and logs, answering fal image output', async () => {
    const updates: QueueStatus[] = [];
    const result = await clientFor(account.testKey).subscribe('fal-ai/flux/dev', {
      input: { prompt: 'a lighthouse at dawn', image_size: 'landscape_16_9', seed: 7 },
      logs: true,
      pollInterval: 100,
      onQueueUpdate: (update) => updates.push(update),
    });
    const data = result.data as Images;
    expect(data.images).toHaveLength(1);
    expect(data.images[0]).toMatchObject({ width: 1024, height: 576, content_type: 'image/png', url: expect.stringMatching(/^http:\/\/gateway\.test\/files\//) });
    expect(data.seed).toBe(7);
    expect(updates.map((update) => update.status)).toContain('COMPLETED');
    expect(['IN_QUEUE', 'IN_PROGRESS']).toContain(updates[0]!.status);
    expect(updates.at(-1)).toMatchObject({ logs: expect.arrayContaining([expect.objectContaining({ level: 'INFO' })]) });
    expect(await harness.gateway.repository.get(result.requestId)).toMatchObject({ provider: 'flux-dev', route: 'sandbox', mode: 'test' });
  });

  it('fal.queue.submit, status and result run a Seedance video with fal input fields', async () => {
    const fal = clientFor(account.testKey);
    const endpoint = 'fal-ai/bytedance/seedance/v1/pro/text-to-video';
    const queued = await fal.queue.submit(endpoint, { input: { prompt: 'a kite over the sea', aspect_ratio: '9:16', duration: '5', resolution: '480p' } });
    expect(queued).toMatchObject({ status: 'IN_QUEUE', queue_position: 0, request_id: expect.any(String), status_url: expect.stringContaining(`/requests/${queued.request_id}/status`) });
    await fal.queue.subscribeToStatus(endpoint, { requestId: queued.request_id, pollInterval: 100 });
    expect(await fal.queue.status(endpoint, { requestId: queued.request_id })).toMatchObject({ status: 'COMPLETED' });
    const result = await fal.queue.result(endpoint, { requestId: queued.request_id });
    expect((result.data as Video).video).toMatchObject({ content_type: 'video/mp4', url: expect.stringMatching(/\.mp4$/) });
    expect(await harness.gateway.repository.get(queued.request_id)).toMatchObject({ provider: 'seedance', options: expect.objectContaining({ aspectRatio: '9:16', duration: 5, resolution: '480p' }) });
  });

  it('fal.queue.cancel stops a running request, whose status then ends', async () => {
    const fal = clientFor(account.testKey);
    const endpoint = 'fal-ai/kling-video/v1.6/standard/text-to-video';
    const { request_id } = await fal.queue.submit(endpoint, { input: { prompt: '[sandbox:slow] a long take' } });
    await fal.queue.cancel(endpoint, { requestId: request_id });
    expect(await fal.queue.status(endpoint, { requestId: request_id })).toMatchObject({ status: 'COMPLETED' });
    expect((await harness.gateway.repository.get(request_id))!.status).toBe('CANCELLED');
  });

  it('fal.run holds the answer until the image is made and names the request', async () => {
    const result = await clientFor(account.testKey).run('fal-ai/bytedance/seedream/v4/text-to-image', { input: { prompt: 'a paper boat', image_size: { width: 1024, height: 768 } } });
    expect((result.data as Images).images[0]).toMatchObject({ content_type: 'image/png', url: expect.stringContaining('/files/') });
    expect(await harness.gateway.repository.get(result.requestId)).toMatchObject({ provider: 'seedream', status: 'COMPLETED', options: expect.objectContaining({ aspectRatio: '4:3' }) });
  });

  it("fal.run of a speech model answers fal's audio output", async () => {
    const result = await clientFor(account.testKey).run('fal-ai/elevenlabs/tts/multilingual-v2', { input: { text: 'Hello from the proxy' } });
    expect((result.data as Audio).audio.url).toMatch(/\/files\/.+\.wav$/);
  });

  it('a live key runs on the configured upstream (fal, here a fake) and is charged', async () => {
    const live = await harness.createAccount({ credits: 500 });
    const before = fakeFal.creations().length;
    const result = await clientFor(live.liveKey).subscribe('fal-ai/bytedance/seedream/v4/text-to-image', { input: { prompt: 'a live lantern' }, pollInterval: 100 });
    expect((result.data as Images).images[0]!.url).toMatch(/^http:\/\/gateway\.test\/files\//);
    expect(
      fakeFal
        .creations()
        .slice(before)
        .map((request) => request.path),
    ).toEqual(['/fal-ai/bytedance/seedream/v4/text-to-image']);
    const generation = (await harness.gateway.repository.get(result.requestId))!;
    expect(generation).toMatchObject({ mode: 'live', route: 'fal', status: 'COMPLETED' });
    expect((await harness.gateway.accounts.get(live.accountId))!.credits).toBe(500 - generation.creditCost);
  });

  it("a failed request completes its queue status, and its result is fal's error with generation_failed", async () => {
    const fal = clientFor(account.testKey);
    const endpoint = 'fal-ai/flux-pro/v1.1-ultra';
    const error = await rejectionOf(fal.subscribe(endpoint, { input: { prompt: '[sandbox:fail] a broken render' }, pollInterval: 100 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(error.body.error_type).toBe('generation_failed');
  });

  it("a request refused for its content is fal's content_policy_violation on the prompt", async () => {
    const error = await rejectionOf(clientFor(account.testKey).subscribe('fal-ai/flux/dev', { input: { prompt: '[sandbox:moderation] x' }, pollInterval: 100 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as unknown as ValidationError).fieldErrors[0]).toMatchObject({ loc: ['body', 'prompt'], type: 'content_policy_violation' });
    expect(error.body.error_type).toBe('content_moderation');
  });

  it("answers a bad input with the client's ValidationError naming the field as fal's client sent it", async () => {
    const error = await rejectionOf(clientFor(account.testKey).queue.submit('fal-ai/kling-video/v1.6/pro/text-to-video', { input: { prompt: 'x', aspect_ratio: '7:5' as '16:9' } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(422);
    expect(error.body.error_type).toBe('invalid_input');
    expect((error as unknown as ValidationError).fieldErrors[0]!.loc).toEqual(['body', 'aspect_ratio']);
  });

  it("answers an unknown model id with the client's ApiError, 404 and not_found", async () => {
    const error = await rejectionOf(clientFor(account.testKey).queue.submit('fal-ai/no-such-model', { input: { prompt: 'x' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
    expect(error.body.error_type).toBe('not_found');
  });

  it("answers a live key without the credits with the client's ApiError, 402 and insufficient_credits", async () => {
    const poor = await harness.createAccount({ credits: 0 });
    const error = await rejectionOf(clientFor(poor.liveKey).queue.submit('fal-ai/bytedance/seedream/v4/text-to-image', { input: { prompt: 'x' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(402);
    expect(error.body.error_type).toBe('insufficient_credits');
  });

  it('answers an unknown key with 401 unauthenticated', async () => {
    const error = await rejectionOf(clientFor('gw_test_nope').queue.submit('fal-ai/flux/dev', { input: { prompt: 'x' } }));
    expect(error.status).toBe(401);
    expect(error.body.error_type).toBe('unauthenticated');
  });

  it('makes one generation for the same Idempotency-Key sent twice', async () => {
    const fal = clientFor(account.testKey);
    const submit = () => fal.queue.submit('fal-ai/flux-pro/v1.1', { input: { prompt: 'once only' }, headers: { 'Idempotency-Key': 'fal-once' } });
    const first = await submit();
    const second = await submit();
    expect(second.request_id).toBe(first.request_id);
    const { items } = await harness.gateway.service.list({ accountId: account.accountId, mode: 'test' }, 100, undefined, {});
    expect(items.filter((generation) => generation.input.text === 'once only')).toHaveLength(1);
  });

  it('refuses the same Idempotency-Key for another model as a conflict, not a replay', async () => {
    const fal = clientFor(account.testKey);
    const headers = { 'Idempotency-Key': 'fal-one-model' };
    await fal.queue.submit('fal-ai/flux-pro/v1.1', { input: { prompt: 'one model' }, headers });
    const other = await fal.queue.submit('fal-ai/flux/dev', { input: { prompt: 'one model' }, headers }).catch((error: unknown) => error);
    expect(other).toMatchObject({ status: 422 });
  });

  it("refuses a target URL that is not one of fal's hosts, forwarding nothing", async () => {
    const before = fakeFal.requests.length;
    const response = await fetch(proxyUrl, {
      method: 'POST',
      headers: { authorization: `Key ${account.testKey}`, 'content-type': 'application/json', 'x-fal-target-url': `${fakeFal.url}/fal-ai/flux/dev` },
      body: JSON.stringify({ prompt: 'x' }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error_type: 'invalid_input', detail: [{ loc: ['header', 'x-fal-target-url'] }] });
    expect(fakeFal.requests.length).toBe(before);
  });
});

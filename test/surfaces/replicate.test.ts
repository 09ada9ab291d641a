import Replicate, { type ApiError, type Prediction } from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeReplicate, startFakeReplicate } from '../fakes/fake-replicate.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** What a Replicate client can read of a refused request: the status, genway's code header, and the problem body the client quotes. */
async function refusal(call: Promise<unknown>) {
  const error = (await call.then(
    () => null,
    (caught: unknown) => caught,
  )) as ApiError | null;
  expect(error?.name).toBe('ApiError');
  const quoted = error!.message.slice(error!.message.indexOf('{'), error!.message.lastIndexOf('}') + 1);
  return { status: error!.response.status, code: error!.response.headers.get('x-genway-error-code'), body: JSON.parse(quoted) as Record<string, unknown> };
}

describe('the Replicate-compatible API under /replicate/v1, used by the official replicate client unchanged', () => {
  let harness: TestGateway;
  let fake: FakeReplicate;
  let baseUrl: string;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const client = (auth: string) => new Replicate({ auth, baseUrl: `${baseUrl}/replicate/v1` });

  beforeAll(async () => {
    fake = await startFakeReplicate({ apiToken: 'r8_surface' });
    harness = await startTestGateway({ REPLICATE_API_TOKEN: 'r8_surface', REPLICATE_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    baseUrl = await harness.listen();
    account = await harness.createAccount({ credits: 1_000_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it("runs a list-output model with replicate.run and answers genway's file URLs as Replicate's list", async () => {
    const output = await client(account.testKey).run('black-forest-labs/flux-dev', { input: { prompt: 'a lighthouse at dawn', aspect_ratio: '16:9' } });
    expect(output).toEqual([expect.stringMatching(/^http:\/\/gateway\.test\/files\/gen_\w+\/0\.png$/)]);
  });

  it('runs a single-output video model with replicate.run and answers one URL', async () => {
    const output = await client(account.testKey).run('bytedance/seedance-1-pro', { input: { prompt: 'a red fox runs', duration: 5 } });
    expect(output).toEqual(expect.stringMatching(/^http:\/\/gateway\.test\/files\/gen_\w+\/0\.mp4$/));
  });

  it('creates a prediction that starts, and polls it to succeeded with its urls, metrics and timestamps', async () => {
    const replicate = client(account.testKey);
    const created = await replicate.predictions.create({ model: 'bytedance/seedream-4', input: { prompt: 'a paper lantern' } });
    expect(created).toMatchObject({ status: 'starting', model: 'bytedance/seedream-4', input: { prompt: 'a paper lantern' }, urls: { get: `${baseUrl}/replicate/v1/predictions/${created.id}` } });
    const done = await replicate.wait(created, { interval: 50 });
    expect(done).toMatchObject({ id: created.id, status: 'succeeded', output: [expect.stringMatching(/\/files\//)], metrics: { predict_time: expect.any(Number) }, completed_at: expect.any(String) });
  });

  it('holds the response with Prefer: wait until the prediction has ended', async () => {
    const held = await client(account.testKey).predictions.create({ model: 'black-forest-labs/flux-1.1-pro', input: { prompt: 'a kite' }, wait: 30 });
    expect(held).toMatchObject({ status: 'succeeded', output: expect.stringMatching(/\/files\/gen_\w+\/0\.\w+$/) });
  });

  it("creates by version with the id models.get answers as the model's latest version", async () => {
    const replicate = client(account.testKey);
    const model = await replicate.models.get('bytedance', 'seedream-4');
    expect(model).toMatchObject({ owner: 'bytedance', name: 'seedream-4', latest_version: { id: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const created = await replicate.predictions.create({ version: model.latest_version!.id, input: { prompt: 'by version' } });
    expect(created).toMatchObject({ model: 'bytedance/seedream-4', version: model.latest_version!.id, status: 'starting' });
  });

  it('lists the mapped models, each with its one version', async () => {
    const replicate = client(account.testKey);
    const models = await replicate.models.list();
    expect(models.results.map((model) => `${model.owner}/${model.name}`)).toContain('kwaivgi/kling-v2.1');
    const versions = await replicate.models.versions.list('kwaivgi', 'kling-v2.1');
    expect(versions.results).toEqual([models.results.find((model) => model.name === 'kling-v2.1')!.latest_version]);
  });

  it('shows a failed prediction as failed with its error', async () => {
    const replicate = client(account.testKey);
    const created = await replicate.predictions.create({ model: 'bytedance/seedream-4', input: { prompt: '[sandbox:fail] no luck' } });
    await expect(replicate.wait(created, { interval: 50 })).rejects.toThrow();
    expect(await replicate.predictions.get(created.id)).toMatchObject({ status: 'failed', error: expect.any(String), output: null });
  });

  it('creates by version given as owner/name', async () => {
    const created = await client(account.testKey).predictions.create({ version: 'luma/ray', input: { prompt: 'a paper boat' } });
    expect(created).toMatchObject({ model: 'luma/ray', status: 'starting' });
  });

  it('cancels a running prediction and shows it canceled', async () => {
    const replicate = client(account.testKey);
    const created = await replicate.predictions.create({ model: 'bytedance/seedream-4', input: { prompt: '[sandbox:slow] cancel me' } });
    const cancelled = await replicate.predictions.cancel(created.id);
    expect(cancelled).toMatchObject({ id: created.id, status: 'canceled' });
    expect(await replicate.predictions.get(created.id)).toMatchObject({ status: 'canceled' });
  });

  it("lists the account's predictions as Replicate's page, newest first", async () => {
    const replicate = client(account.testKey);
    const created = await replicate.predictions.create({ model: 'bytedance/seedream-4', input: { prompt: 'listed' } });
    const page = await replicate.predictions.list();
    expect(page).toMatchObject({ next: null, previous: null });
    expect(page.results[0]).toMatchObject({ id: created.id, status: expect.any(String), urls: { cancel: expect.stringContaining(created.id) } });
  });

  it("answers an unknown model with ApiError 404 in Replicate's problem shape", async () => {
    const refused = await refusal(client(account.testKey).predictions.create({ model: 'acme/nothing-here', input: { prompt: 'x' } }));
    expect(refused).toMatchObject({ status: 404, code: 'NOT_FOUND', body: { status: 404, title: expect.any(String), detail: expect.any(String) } });
  });

  it('answers bad input with ApiError 422 naming the input field as the client sent it', async () => {
    const refused = await refusal(client(account.testKey).predictions.create({ model: 'black-forest-labs/flux-dev', input: { prompt: 'x', aspect_ratio: '7:5' } }));
    expect(refused).toMatchObject({ status: 422, code: 'INVALID_INPUT', body: { status: 422, invalid_fields: [{ field: 'input.aspect_ratio' }] } });
  });

  it('names a missing prompt as input.prompt', async () => {
    const refused = await refusal(client(account.testKey).predictions.create({ model: 'black-forest-labs/flux-dev', input: { aspect_ratio: '1:1' } }));
    expect(refused).toMatchObject({ status: 422, code: 'INVALID_INPUT', body: { invalid_fields: [{ field: 'input.prompt' }] } });
  });

  it('refuses a webhook that is not an http(s) URL, naming the field', async () => {
    const refused = await refusal(client(account.testKey).predictions.create({ model: 'bytedance/seedream-4', input: { prompt: 'x' }, webhook: 'ftp://127.0.0.1/hook' }));
    expect(refused).toMatchObject({ status: 422, code: 'INVALID_INPUT', body: { invalid_fields: [{ field: 'webhook' }] } });
  });

  it('answers insufficient credits with ApiError 402', async () => {
    const poor = await harness.createAccount({ credits: 0 });
    const refused = await refusal(client(poor.liveKey).predictions.create({ model: 'bytedance/seedream-4', input: { prompt: 'no credits' } }));
    expect(refused).toMatchObject({ status: 402, code: 'INSUFFICIENT_CREDITS', body: { status: 402 } });
  });

  it('answers an unknown key with ApiError 401', async () => {
    const refused = await refusal(client('gw_test_nope').predictions.list());
    expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('creates one prediction for the same Idempotency-Key sent twice', async () => {
    const replicate = client(account.liveKey);
    const send = () => replicate.request('/models/bytedance/seedream-4/predictions', { method: 'POST', headers: { 'Idempotency-Key': 'replicate-once' }, data: { input: { prompt: 'only once' } } });
    const first = (await (await send()).json()) as Prediction;
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as Prediction).id).toBe(first.id);
    const listed = await harness.gateway.repository.listForAccount(account.accountId, 100, undefined, {});
    expect(listed.items.filter((generation) => generation.input.text === 'only once')).toHaveLength(1);
  });

  it("answers the same Idempotency-Key with another body as a conflict in Replicate's problem shape", async () => {
    const replicate = client(account.testKey);
    const send = (prompt: string) =>
      replicate.request('/models/bytedance/seedream-4/predictions', { method: 'POST', headers: { 'Idempotency-Key': 'replicate-conflict' }, data: { input: { prompt } } });
    await send('the first');
    const refused = await refusal(send('another'));
    expect(refused).toMatchObject({ status: 422, code: 'IDEMPOTENCY_CONFLICT', body: { status: 422, title: expect.any(String) } });
  });

  it("runs a live key on the provider's Replicate route and answers the stored output", async () => {
    const output = await client(account.liveKey).run('bytedance/seedream-4', { input: { prompt: 'a paper lantern', size: '4K' } });
    expect(output).toEqual([expect.stringMatching(/^http:\/\/gateway\.test\/files\/gen_\w+\/0\.png$/)]);
    expect(fake.creations().at(-1)).toMatchObject({ path: '/v1/models/bytedance/seedream-4/predictions', body: { input: { prompt: 'a paper lantern', size: '4K' } } });
  });
});

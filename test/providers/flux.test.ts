import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBfl, startFakeBfl } from '../fakes/fake-bfl.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

function asContractFake(fake: FakeBfl): ContractFake & FakeBfl {
  return Object.assign(fake, {
    scriptSuccess: () => fake.script([{ status: 'Pending', progress: 0.3 }, { status: 'Ready' }]),
    scriptRunning: () => fake.script([{ status: 'Pending' }]),
    answerNextSubmit: (status: number, headers?: Record<string, string>) => fake.answerNext({ method: 'POST', path: /^\/v1\//, status, headers, body: { detail: `scripted ${status}` } }),
    answerNextPoll: (status: number) => fake.answerNext({ method: 'GET', path: /^\/v1\/get_result$/, status, body: { detail: `scripted ${status}` } }),
    submissions: () => fake.creations(),
    cancellations: () => [],
  });
}

/** BFL's terminal statuses other than Ready (its errors page). */
const bflFailures: ContractFailure<FakeBfl>[] = (
  [
    { upstream: 'Request Moderated', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'Content Moderated', code: 'CONTENT_MODERATION', retryable: false, charged: false },
    { upstream: 'Error', code: 'GENERATION_FAILED', retryable: true, charged: false },
  ] as const
).map((failure) => ({ ...failure, script: (fake) => fake.script([{ status: 'Pending' }, { status: failure.upstream }]) }));

describeConnectorContract<ContractFake & FakeBfl>({
  provider: 'flux-pro',
  route: 'bfl',
  async start() {
    const fake = asContractFake(await startFakeBfl({ apiKey: 'bfl_contract' }));
    return { fake, settings: { BFL_API_KEY: 'bfl_contract', BFL_BASE_URL: fake.url } };
  },
  request: { type: 'IMAGE', input: {}, options: { outputFormat: 'png' } },
  output: { format: 'png', contentType: /^image\/png/ },
  failures: bflFailures,
  cancels: false,
});

describe('live FLUX generations on Black Forest Labs', () => {
  let fake: FakeBfl;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    fake = await startFakeBfl({ apiKey: 'bfl_live' });
    harness = await startTestGateway({ BFL_API_KEY: 'bfl_live', BFL_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it.each([
    ['flux-dev', { aspectRatio: '16:9', steps: 20 }, '/v1/flux-dev', { width: 1024, height: 576, steps: 20, guidance: 3 }, { width: 1024, height: 576 }],
    ['flux-pro', { width: 1440, height: 768 }, '/v1/flux-pro-1.1', { width: 1440, height: 768 }, { width: 1440, height: 768 }],
    ['flux-ultra', { aspectRatio: '21:9', raw: true, seed: 42 }, '/v1/flux-pro-1.1-ultra', { aspect_ratio: '21:9', raw: true, seed: 42 }, { width: 512, height: 219 }],
  ] as const)('%s sends its own endpoint and parameters and stores the JPEG it makes at the size asked for', async (provider, options, path, body, size) => {
    const generation = await harness.runGeneration(account.liveKey, { provider, type: 'IMAGE', input: { text: 'a glass city' }, options });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'bfl', metadata: { format: 'jpg', ...size } });
    expect(fake.creations().at(-1)).toMatchObject({ path, body: { prompt: 'a glass city', output_format: 'jpeg', ...body } });
  });

  it('flux-kontext edits the input image, sent as raw base64', async () => {
    const generation = await harness.runGeneration(account.liveKey, {
      provider: 'flux-kontext',
      type: 'IMAGE',
      input: { text: 'make it night', image: 'data:image/png;base64,iVBORw0KGgo=' },
      options: { model: 'flux-kontext-max', aspectRatio: '1:1' },
    });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.creations().at(-1)).toMatchObject({ path: '/v1/flux-kontext-max', body: { input_image: 'iVBORw0KGgo=', aspect_ratio: '1:1' } });
  });

  it('polls exactly the polling_url BFL returned, cluster included', async () => {
    const generation = await harness.runGeneration(account.liveKey, { provider: 'flux-dev', type: 'IMAGE', input: { text: 'poll me' } });
    expect(generation.status).toBe('COMPLETED');
    const polls = fake.requests.filter((request) => request.method === 'GET' && request.path === '/v1/get_result');
    expect(polls.at(-1)!.query.get('cluster')).toMatch(/^eu\d$/);
  });

  it('waits when BFL has 24 active tasks (429) and completes, instead of failing', async () => {
    fake.answerNext({ method: 'POST', path: /^\/v1\//, status: 429, headers: { 'retry-after': '0' }, body: { detail: 'You have reached the maximum number of active tasks' } });
    const before = fake.creations().length;
    expect((await harness.runGeneration(account.liveKey, { provider: 'flux-ultra', type: 'IMAGE', input: { text: 'busy' } })).status).toBe('COMPLETED');
    expect(fake.creations().length - before).toBe(2);
  });

  it('402 (out of credits) fails at once with PROVIDER_UNAVAILABLE and a refund', async () => {
    fake.answerNext({ method: 'POST', path: /^\/v1\//, status: 402, body: { detail: 'Insufficient credits' } });
    const credits = (await harness.gateway.accounts.get(account.accountId))!.credits;
    const generation = await harness.runGeneration(account.liveKey, { provider: 'flux-dev', type: 'IMAGE', input: { text: 'broke' } });
    expect(generation.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false });
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(credits);
  });
});

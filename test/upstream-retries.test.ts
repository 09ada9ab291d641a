import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../src/billing/ledger.ts';
import { retryDelay } from '../src/generations/step-delays.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const generateMutation = 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }';

describe('upstream errors that may pass', () => {
  let patient: TestGateway;
  let impatient: TestGateway;

  beforeAll(async () => {
    patient = await startTestGateway({ SANDBOX_LATENCY_MS: '400', UPSTREAM_RETRY_ATTEMPTS: '10', UPSTREAM_RETRY_BASE_MS: '40' });
    impatient = await startTestGateway({ SANDBOX_LATENCY_MS: '5000', UPSTREAM_RETRY_ATTEMPTS: '2', UPSTREAM_RETRY_BASE_MS: '20' });
  });
  afterAll(async () => {
    await patient.close();
    await impatient.close();
  });

  it('are retried with backoff until the upstream recovers, and the generation completes', async () => {
    const account = await patient.createAccount({ credits: 10 });
    const created = await patient.graphql({ key: account.liveKey, query: generateMutation, variables: { input: { type: 'IMAGE', provider: 'sandbox', input: { text: '[sandbox:flaky] recovers' } } } });
    const id = created.body.data.generate.id;
    expect(await patient.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
    expect((await patient.gateway.repository.get(id))!.routeFailures).toBeGreaterThan(0);
    expect((await patient.gateway.accounts.get(account.accountId))!.credits).toBe(9);
  });

  it('fail the generation with PROVIDER_UNAVAILABLE and refund it once the attempts run out', async () => {
    const account = await impatient.createAccount({ credits: 10 });
    const created = await impatient.graphql({
      key: account.liveKey,
      query: generateMutation,
      variables: { input: { type: 'IMAGE', provider: 'sandbox', input: { text: '[sandbox:flaky] never recovers in time' } } },
    });
    const id = created.body.data.generate.id;
    expect(await impatient.waitForStatus(id, ['COMPLETED', 'FAILED'])).toBe('FAILED');
    const generation = await impatient.gateway.repository.get(id);
    expect(generation!.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect((await impatient.gateway.accounts.get(account.accountId))!.credits).toBe(10);
    const kinds = (await readLedger(impatient.gateway.redis, impatient.gateway.keys, account.accountId)).filter((entry) => entry.generationId === id).map((entry) => entry.kind);
    expect(kinds).toEqual(['refund', 'reserve']);
  });
});

describe('retry delays', () => {
  it('grow exponentially with jitter in the upper half of each step', () => {
    expect(retryDelay(1, 1000, undefined, () => 0)).toBe(500);
    expect(retryDelay(1, 1000, undefined, () => 1)).toBe(1000);
    expect(retryDelay(3, 1000, undefined, () => 0)).toBe(2000);
    expect(retryDelay(3, 1000, undefined, () => 1)).toBe(4000);
  });

  it('follow Retry-After when the upstream sends it', () => {
    expect(retryDelay(5, 1000, 7000)).toBe(7000);
  });
});

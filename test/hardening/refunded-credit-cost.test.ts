import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { eventually, startReceiver } from '../support/webhook-receiver.ts';

const runwayHeaders = (key: string) => ({ authorization: `Bearer ${key}`, 'x-runway-version': '2024-11-06' });

describe("hardening #10: a refunded generation's creditCost", () => {
  let harness: TestGateway;
  let baseUrl: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  let failedId: string;
  let quotedCost: number;

  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '200' });
    baseUrl = await harness.listen();
    receiver = await startReceiver();
    account = await harness.createAccount({ credits: 1000 });
    const created = await harness.graphql({
      key: account.liveKey,
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost } }',
      variables: { input: { type: 'VIDEO', provider: 'sandbox', input: { text: 'refund me [sandbox:fail]' }, webhookUrl: `${receiver.origin}/hook` } },
    });
    ({ id: failedId, creditCost: quotedCost } = created.body.data.generate);
    await harness.waitForStatus(failedId, ['FAILED']);
  });
  afterAll(async () => {
    await harness.close();
    await receiver.close();
  });

  it('was quoted a price, and got every credit back', async () => {
    expect(quotedCost).toBeGreaterThan(0);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(1000);
  });

  it('reports creditCost 0 in GraphQL', async () => {
    const read = await harness.graphql({ key: account.liveKey, query: 'query ($id: ID!) { generation(id: $id) { status creditCost } }', variables: { id: failedId } });
    expect(read.body.data.generation).toEqual({ status: 'FAILED', creditCost: 0 });
  });

  it('reports creditCost 0 in REST', async () => {
    const response = await fetch(`${baseUrl}/v1/generations/${failedId}`, { headers: { 'x-api-key': account.liveKey } });
    expect(((await response.json()) as { data: { generation: unknown } }).data.generation).toMatchObject({ status: 'failed', creditCost: 0 });
  });

  it('reports a cost of 0 credits in the Runway-compatible task', async () => {
    const response = await fetch(`${baseUrl}/runway/v1/tasks/${failedId}`, { headers: runwayHeaders(account.liveKey) });
    expect(await response.json()).toMatchObject({ status: 'FAILED', cost: { credits: 0 } });
  });

  it('sends creditCost 0 in the generation.failed webhook', async () => {
    const delivered = await eventually(
      () => receiver.requests,
      (requests) => requests.length > 0,
    );
    expect(JSON.parse(delivered[0]!.rawBody)).toMatchObject({ event: 'generation.failed', id: failedId, creditCost: 0 });
  });

  it('pushes creditCost 0 with the final state to an event stream watching it', async () => {
    const created = await harness.graphql({
      key: account.liveKey,
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }',
      variables: { input: { type: 'IMAGE', provider: 'sandbox', input: { text: 'refund me too [sandbox:fail]' } } },
    });
    const id = created.body.data.generate.id as string;
    const stream = await fetch(`${baseUrl}/v1/generations/${id}/events`, { headers: { 'x-api-key': account.liveKey } });
    const states = (await stream.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)) as { status: string; creditCost: number });
    expect(states.at(-1)).toMatchObject({ status: 'failed', creditCost: 0 });
  });

  it('reports creditCost 0 for a generation cancelled before any upstream had it', async () => {
    const idle = await startTestGateway({}, { worker: false });
    try {
      const owner = await idle.createAccount({ credits: 1000 });
      const created = await idle.graphql({ key: owner.liveKey, query: 'mutation { generate(input: { type: IMAGE, provider: "sandbox", input: { text: "never started" } }) { id creditCost } }' });
      const { id, creditCost } = created.body.data.generate;
      expect(creditCost).toBeGreaterThan(0);
      expect((await idle.graphql({ key: owner.liveKey, query: `mutation { cancelGeneration(id: "${id}") }` })).body.data.cancelGeneration).toBe(true);
      const read = await idle.graphql({ key: owner.liveKey, query: `{ generation(id: "${id}") { status creditCost } }` });
      expect(read.body.data.generation).toEqual({ status: 'CANCELLED', creditCost: 0 });
    } finally {
      await idle.close();
    }
  });

  it('keeps the charge of a generation that completed', async () => {
    const generation = await harness.runGeneration(account.liveKey, { type: 'IMAGE', provider: 'sandbox', input: { text: 'paid for' } });
    const read = await harness.graphql({ key: account.liveKey, query: 'query ($id: ID!) { generation(id: $id) { status creditCost } }', variables: { id: generation.id } });
    expect(read.body.data.generation.status).toBe('COMPLETED');
    expect(read.body.data.generation.creditCost).toBeGreaterThan(0);
  });
});

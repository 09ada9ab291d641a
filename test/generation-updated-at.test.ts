import { createClient } from 'genway/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { eventually, startReceiver } from './support/webhook-receiver.ts';

const generate = 'mutation ($input: GenerateInput!) { generate(input: $input) { id createdAt updatedAt } }';
const read = 'query ($id: ID!) { generation(id: $id) { status createdAt updatedAt completedAt } }';

/** Generation.updatedAt, the field added to show that one declaration reaches every surface. */
describe('Generation.updatedAt', () => {
  let harness: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let key: string;

  beforeAll(async () => {
    harness = await startTestGateway();
    receiver = await startReceiver();
    key = (await harness.createAccount()).testKey;
  });
  afterAll(async () => {
    await receiver?.close();
    await harness?.close();
  });

  const created = async (text: string, webhookUrl?: string) =>
    (await harness.graphql({ key, query: generate, variables: { input: { type: 'IMAGE', input: { text }, webhookUrl } } })).body.data.generate;

  it('is the creation time when the generation is new', async () => {
    const generation = await created('just made');
    expect(generation.updatedAt).toBe(generation.createdAt);
  });

  it('moves with every change, the last one being its completion', async () => {
    const { id } = await created('changes');
    await harness.waitForStatus(id, ['COMPLETED']);
    const generation = (await harness.graphql({ key, query: read, variables: { id } })).body.data.generation;
    expect(Date.parse(generation.updatedAt)).toBeGreaterThan(Date.parse(generation.createdAt));
    expect(Date.parse(generation.updatedAt)).toBeGreaterThanOrEqual(Date.parse(generation.completedAt));
  });

  it('is in the REST view', async () => {
    const { id } = await created('over REST');
    const response = await harness.app.inject({ method: 'GET', url: `/v1/generations/${id}`, headers: { authorization: `Bearer ${key}` } });
    const { updatedAt, createdAt } = response.json().data.generation;
    expect(Date.parse(updatedAt)).toBeGreaterThanOrEqual(Date.parse(createdAt));
  });

  it('is in the webhook body', async () => {
    const { id } = await created('with a webhook', `${receiver.origin}/hook`);
    const [delivery] = await eventually(
      () => receiver.requests.filter((request) => JSON.parse(request.rawBody).id === id),
      (found) => found.length > 0,
    );
    const body = JSON.parse(delivery!.rawBody);
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(body.completedAt));
  });

  it('is returned by the typed client', async () => {
    const { id } = await created('through the client');
    const base = await harness.listen();
    const generation = await createClient({ baseUrl: base, apiKey: key }).waitForCompletion(id, { timeoutMs: 20_000 });
    expect(Date.parse(generation.updatedAt)).toBeGreaterThanOrEqual(Date.parse(generation.completedAt ?? ''));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookJobId } from '../src/jobs/queues.ts';
import { type FakeGemini, startFakeGemini } from './fakes/fake-gemini.ts';
import { type FakeRunway, startFakeRunway } from './fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id route } }';
const cancelQuery = 'mutation ($id: ID!) { cancelGeneration(id: $id) }';

describe('a cancel ends the generation through ended()', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    // No worker at all: whatever is queued after the cancel, the cancel queued itself.
    harness = await startTestGateway({}, { worker: false });
  });
  afterAll(() => harness.close());

  it('queues the generation.cancelled webhook itself, with no job step after it', async () => {
    const account = await harness.createAccount();
    const created = await harness.graphql({
      key: account.testKey,
      query: generateQuery,
      variables: { input: { type: 'IMAGE', provider: 'sandbox', input: { text: 'cancel me' }, webhookUrl: 'http://127.0.0.1:9/hook' } },
    });
    const { id } = created.body.data.generate;
    const cancelled = await harness.graphql({ key: account.testKey, query: cancelQuery, variables: { id } });
    expect(cancelled.body.data.cancelGeneration).toBe(true);
    const delivery = await harness.gateway.webhookQueue.queue.getJob(webhookJobId(id, 'generation.cancelled'));
    expect(delivery?.data).toMatchObject({ generationId: id, event: 'generation.cancelled' });
  });
});

describe('a fallback starts its new route with its own retry budget', () => {
  let gemini: FakeGemini;
  let runway: FakeRunway;
  let harness: TestGateway;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'g_budget' });
    runway = await startFakeRunway({ apiKey: 'r_budget', defaultSteps: [{ status: 'SUCCEEDED' }] });
    harness = await startTestGateway({
      GEMINI_API_KEY: 'g_budget',
      GEMINI_BASE_URL: gemini.url,
      RUNWAY_API_KEY: 'r_budget',
      RUNWAY_BASE_URL: runway.url,
      UPSTREAM_POLL_INTERVAL_MS: '20',
      UPSTREAM_RETRY_ATTEMPTS: '2',
      UPSTREAM_RETRY_BASE_MS: '20',
    });
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([gemini.close(), runway.close()]);
  });

  it("route A answers 503 until its budget is spent, then route B's first 503 is retried, not fatal, and the generation completes on B", async () => {
    gemini.setDown(true);
    runway.answerNext({ method: 'POST', path: /\/v1\/[a-z_]+$/, status: 503, body: { error: 'scripted 503' } });
    const account = await harness.createAccount({ credits: 10_000 });
    const generation = await harness.runGeneration(account.liveKey, { provider: 'veo', type: 'VIDEO', input: { text: 'a tide pool' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'runway', attempts: [{ route: 'gemini', code: 'PROVIDER_UNAVAILABLE' }] });
    expect(gemini.creations()).toHaveLength(2);
    expect(runway.posts()).toHaveLength(2);
  });
});

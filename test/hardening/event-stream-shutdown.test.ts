import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** How long the test waits for the stream to end before calling it held open (the fix ends it at once). */
const holdGuardMs = 10_000;

describe('hardening #9: shutdown', () => {
  let harness: TestGateway;

  beforeAll(async () => {
    // A sandbox that takes a minute: the generation is still running when the server stops.
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '60000' });
  });
  afterAll(() => harness?.close());

  it('ends an open event stream when the server stops, instead of holding the drain', async () => {
    const { testKey } = await harness.createAccount();
    const created = await harness.graphql({ key: testKey, query: 'mutation { generate(input: { type: IMAGE, input: { text: "slow" } }) { id } }' });
    const base = await harness.listen();
    const response = await fetch(`${base}/v1/generations/${created.body.data.generate.id}/events`, { headers: { 'x-api-key': testKey } });
    const reader = response.body!.getReader();
    await reader.read();
    const closing = harness.app.close();
    const drained = async () => {
      while (!(await reader.read()).done);
      return 'ended';
    };
    const outcome = await Promise.race([drained(), new Promise((resolve) => setTimeout(() => resolve('still open'), holdGuardMs).unref())]);
    expect(outcome).toBe('ended');
    await closing;
  });
});

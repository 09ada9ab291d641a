import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { eventually, startReceiver } from '../support/webhook-receiver.ts';

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }';

/**
 * A receiver that accepts every request and never answers (or, given `answerAfterMs`, answers 503 that much later),
 * counting the requests it holds open at once.
 */
async function startSlowReceiver(answerAfterMs?: number) {
  let open = 0;
  let mostOpen = 0;
  let received = 0;
  const server = createServer((request, response) => {
    received++;
    open++;
    mostOpen = Math.max(mostOpen, open);
    request.resume();
    response.on('close', () => open--);
    if (answerAfterMs !== undefined) setTimeout(() => response.writeHead(503).end(), answerAfterMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => open,
    mostOpen: () => mostOpen,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Generations of a new account that all end with a webhook to `webhookUrl`; answers their ids once every one is queued for delivery. */
async function generationsWithWebhooks(harness: TestGateway, count: number, webhookUrl: string): Promise<string[]> {
  const { testKey } = await harness.createAccount({ plan: 'enterprise' });
  const created = await Promise.all(
    Array.from({ length: count }, (_, index) => harness.graphql({ key: testKey, query: generateQuery, variables: { input: { type: 'IMAGE', input: { text: `webhook ${index}` }, webhookUrl } } })),
  );
  const ids = created.map((response) => response.body.data.generate.id as string);
  await Promise.all(ids.map((id) => harness.waitForStatus(id, ['COMPLETED'])));
  return ids;
}

const attemptsOf = async (harness: TestGateway, ids: string[]) => Promise.all(ids.map((id) => harness.gateway.deliveries.list(id)));

describe('hardening #4: one slow webhook receiver', () => {
  it("delivers another account's webhook while the stuck receiver's deliveries are still pending", async () => {
    const harness = await startTestGateway({
      SANDBOX_LATENCY_MS: '50',
      WORKER_CONCURRENCY: '6',
      WEBHOOK_CONCURRENCY_PER_DESTINATION: '2',
      WEBHOOK_TIMEOUT_MS: '60000',
      WEBHOOK_FIRST_BYTE_TIMEOUT_MS: '60000',
    });
    const stuck = await startSlowReceiver();
    const healthy = await startReceiver();
    try {
      const stuckIds = await generationsWithWebhooks(harness, 12, `${stuck.origin}/hook`);
      await eventually(stuck.open, (open) => open >= 2);

      await generationsWithWebhooks(harness, 1, `${healthy.origin}/hook`);
      await eventually(
        () => healthy.requests.length,
        (count) => count > 0,
      );

      expect(healthy.requests).toHaveLength(1);
      expect(stuck.open()).toBe(2);
      expect(stuck.received()).toBe(2);
      expect((await attemptsOf(harness, stuckIds)).flat()).toEqual([]);
    } finally {
      await stuck.close();
      await healthy.close();
      await harness.close();
    }
  });

  it('never holds more than its share of connections to one receiver, and every delivery that waited still gets all its attempts', async () => {
    const harness = await startTestGateway({
      SANDBOX_LATENCY_MS: '50',
      WORKER_CONCURRENCY: '8',
      WEBHOOK_CONCURRENCY_PER_DESTINATION: '3',
      WEBHOOK_RETRY_SCHEDULE_MS: '50',
    });
    const slow = await startSlowReceiver(300);
    try {
      const ids = await generationsWithWebhooks(harness, 12, `${slow.origin}/hook`);
      const attempts = await eventually(
        () => attemptsOf(harness, ids),
        (lists) => lists.every((list) => list.some((attempt) => attempt.outcome === 'FAILED')),
        30_000,
      );

      expect(slow.mostOpen()).toBe(3);
      expect(slow.received()).toBe(24);
      expect(attempts.map((list) => list.map((attempt) => [attempt.attempt, attempt.status, attempt.outcome]))).toEqual(
        ids.map(() => [
          [1, 503, 'RETRYING'],
          [2, 503, 'FAILED'],
        ]),
      );
    } finally {
      await slow.close();
      await harness.close();
    }
  });

  it('gives up on a receiver that accepts and never answers at the first-byte timeout, well before the whole-attempt one', async () => {
    const harness = await startTestGateway({ SANDBOX_LATENCY_MS: '50', WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_FIRST_BYTE_TIMEOUT_MS: '200', WEBHOOK_RETRY_SCHEDULE_MS: '50' });
    const stuck = await startSlowReceiver();
    try {
      const ids = await generationsWithWebhooks(harness, 1, `${stuck.origin}/hook`);
      const [attempts] = await eventually(
        () => attemptsOf(harness, ids),
        ([list]) => list!.length === 2,
      );

      expect(attempts!.map((attempt) => [attempt.attempt, attempt.status, attempt.outcome])).toEqual([
        [1, null, 'RETRYING'],
        [2, null, 'FAILED'],
      ]);
    } finally {
      await stuck.close();
      await harness.close();
    }
  });
});

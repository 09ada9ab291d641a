import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../../src/billing/ledger.ts';
import type { ErrorCode } from '../../src/errors/gateway-error.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** What the contract needs from a vendor's fake: scripts and records, in the vendor's own terms. */
export interface ContractFake {
  /** The next task runs a little, then succeeds with a real media file. */
  scriptSuccess(): void;
  /** The next task runs until it is cancelled. */
  scriptRunning(): void;
  /** The next submission (create call) is answered with this HTTP status instead. */
  answerNextSubmit(status: number, headers?: Record<string, string>): void;
  /** The next status poll is answered with this HTTP status instead. */
  answerNextPoll(status: number): void;
  /** Every create call the fake accepted or refused, with when it arrived. */
  submissions(): Array<{ at: number }>;
  /** Upstream task ids the fake was asked to cancel. */
  cancellations(): string[];
  close(): Promise<void>;
}

export interface ContractFailure<Fake> {
  /** The vendor's own name for the failure (a failure code, a status). */
  upstream: string;
  /** Makes the next task end this way. */
  script(fake: Fake): void;
  code: ErrorCode;
  retryable: boolean;
  /** The vendor keeps the charge (Runway's SAFETY.INPUT), so the gateway keeps the reservation. */
  charged: boolean;
}

export interface ContractSubject<Fake extends ContractFake> {
  provider: string;
  /** Which of the provider's routes this is, when it has several. */
  route?: string;
  /** Starts the fake and answers with the settings that point the provider at it. */
  start(): Promise<{ fake: Fake; settings: Record<string, string> }>;
  /** A request the provider makes quickly (a GenerateInput without `provider`). */
  request: Record<string, unknown>;
  /** What the stored output must be. */
  output: { format: string; contentType: RegExp };
  failures: ContractFailure<Fake>[];
  /** Whether the vendor's API can cancel a running task. */
  cancels: boolean;
  /** The vendor answers with the output itself (one call makes it): its "poll" is a second create call. */
  synchronous?: boolean;
}

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost route } }';
const readQuery = 'query ($id: ID!) { generation(id: $id) { status route url metadata { format contentType sizeBytes } error { code retryable } creditCost } }';

/**
 * The behaviour every connector owes the gateway, run against its vendor's fake: one `it` per case, so one
 * failure does not hide the rest.
 */
export function describeConnectorContract<Fake extends ContractFake>(subject: ContractSubject<Fake>) {
  describe(`${subject.provider}${subject.route ? ` (${subject.route} route)` : ''}: the connector contract against its fake`, () => {
    let fake: Fake;
    let harness: TestGateway;
    let account: Awaited<ReturnType<TestGateway['createAccount']>>;

    beforeAll(async () => {
      const started = await subject.start();
      fake = started.fake;
      harness = await startTestGateway({ ...started.settings, UPSTREAM_POLL_INTERVAL_MS: '20' });
      account = await harness.createAccount({ credits: 1_000_000 });
    });
    afterAll(async () => {
      await harness.close();
      await fake.close();
    });

    async function start(text: string) {
      const created = await harness.graphql({
        key: account.liveKey,
        query: generateQuery,
        variables: { input: { ...subject.request, provider: subject.provider, input: { ...(subject.request.input as object), text } } },
      });
      expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
      return created.body.data.generate as { id: string; creditCost: number; route: string };
    }

    async function finish(id: string) {
      await harness.waitForStatus(id, ['COMPLETED', 'FAILED', 'CANCELLED']);
      return (await harness.graphql({ key: account.liveKey, query: readQuery, variables: { id } })).body.data.generation;
    }

    const balance = async () => (await harness.gateway.accounts.get(account.accountId))!.credits;

    it('submits, polls and completes on its own route; the output is stored here and probed; credits settle to the final price', async () => {
      fake.scriptSuccess();
      const before = await balance();
      const created = await start('a lighthouse at dawn');
      const read = await finish(created.id);
      expect(read.status, JSON.stringify(read.error)).toBe('COMPLETED');
      expect(read.creditCost).toBeLessThanOrEqual(created.creditCost);
      expect(await balance()).toBe(before - read.creditCost);
      expect(read.route).toBe(created.route);
      expect(read.url).toMatch(/^http:\/\/gateway\.test\/files\//);
      const stored = await harness.download(read.url);
      expect(stored.status).toBe(200);
      expect(stored.contentType).toMatch(subject.output.contentType);
      expect(read.metadata).toMatchObject({ format: subject.output.format, sizeBytes: stored.bytes.length });
    });

    it.each(subject.failures.map((failure) => [failure.upstream, failure.code, failure]))('maps %s to %s, refunding unless the vendor keeps the charge', async (_upstream, _code, failure) => {
      failure.script(fake);
      const before = await balance();
      const created = await start(`fails with ${failure.upstream}`);
      const read = await finish(created.id);
      expect(read.error).toMatchObject({ code: failure.code, retryable: failure.retryable });
      expect(await balance()).toBe(failure.charged ? before - created.creditCost : before);
    });

    it('waits as long as a 429 Retry-After asks, then completes', async () => {
      fake.answerNextSubmit(429, { 'retry-after': '1' });
      fake.scriptSuccess();
      const before = fake.submissions().length;
      const read = await finish((await start('patience')).id);
      expect(read.status).toBe('COMPLETED');
      const [refused, accepted] = fake.submissions().slice(before);
      // Test backoff starts at 50 ms: only Retry-After makes the second attempt wait a second.
      expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(950);
    });

    it('retries a 5xx at submit and at poll, then completes', async () => {
      fake.answerNextSubmit(502);
      fake.answerNextPoll(503);
      fake.scriptSuccess();
      const before = fake.submissions().length;
      const read = await finish((await start('persistence')).id);
      expect(read.status).toBe('COMPLETED');
      expect(fake.submissions().length - before).toBe(subject.synchronous ? 3 : 2);
    });

    it('does not retry a 400: the generation fails with INVALID_INPUT and is refunded', async () => {
      fake.answerNextSubmit(400);
      const before = fake.submissions().length;
      const credits = await balance();
      const created = await start('refused');
      const read = await finish(created.id);
      expect(read.error).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
      expect(fake.submissions().length - before).toBe(1);
      expect(await balance()).toBe(credits);
      const kinds = (await readLedger(harness.gateway.redis, harness.gateway.keys, account.accountId)).filter((entry) => entry.generationId === created.id).map((entry) => entry.kind);
      expect(kinds).toEqual(['refund', 'reserve']);
    });

    if (subject.cancels)
      it('cancel reaches the upstream task', async () => {
        fake.scriptRunning();
        const { id } = await start('stop me');
        await harness.waitForStatus(id, ['PROCESSING']);
        const cancelled = await harness.graphql({ key: account.liveKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
        expect(cancelled.body.data.cancelGeneration).toBe(true);
        const deadline = Date.now() + 5000;
        while (fake.cancellations().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(fake.cancellations()).toHaveLength(1);
        expect((await harness.gateway.repository.get(id))!.status).toBe('CANCELLED');
      });
  });
}

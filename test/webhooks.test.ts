import { sign as signSha256, verify as verifySha256 } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/index.ts';
import { freePort } from './support/free-port.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { eventually, type ReceivedRequest, startReceiver } from './support/webhook-receiver.ts';

const generateQuery = 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }';
const deliveriesQuery = 'query ($id: ID!) { webhookDeliveries(generationId: $id) { id event attempt url status outcome error latencyMs at } }';

describe('webhook signatures', () => {
  let harness: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '100' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await harness.close();
  });

  async function deliveredTo(key: string, text: string): Promise<ReceivedRequest> {
    const before = receiver.requests.length;
    const created = await harness.graphql({ key, query: generateQuery, variables: { input: { type: 'IMAGE', provider: 'flux-dev', input: { text }, webhookUrl: `${receiver.origin}/hook` } } });
    expect(created.body.errors).toBeUndefined();
    await eventually(
      () => receiver.requests.length,
      (count) => count > before,
    );
    return receiver.requests.at(-1)!;
  }

  it('verify with @octokit/webhooks-methods, standardwebhooks and our verifyWebhook; tampering, a wrong secret and a stale timestamp are rejected', async () => {
    const account = await harness.createAccount();
    const delivery = await deliveredTo(account.testKey, 'signed');
    const { headers, rawBody } = delivery;
    expect(await verifySha256(account.webhookSecret, rawBody, String(headers['x-doitong-signature']))).toBe(true);
    const standardHeaders = { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) };
    expect(new Webhook(account.webhookSecret).verify(rawBody, standardHeaders)).toMatchObject({ event: 'generation.completed', status: 'completed' });
    expect(await verifyWebhook(account.webhookSecret, headers as Record<string, string>, rawBody)).toMatchObject({ event: 'generation.completed' });

    const tampered = rawBody.replace('completed', 'failed');
    expect(await verifySha256(account.webhookSecret, tampered, String(headers['x-doitong-signature']))).toBe(false);
    expect(() => new Webhook(account.webhookSecret).verify(tampered, standardHeaders)).toThrow();
    await expect(verifyWebhook(account.webhookSecret, headers as Record<string, string>, tampered)).rejects.toThrow();

    const other = await harness.createAccount();
    expect(await verifySha256(other.webhookSecret, rawBody, String(headers['x-doitong-signature']))).toBe(false);
    expect(() => new Webhook(other.webhookSecret).verify(rawBody, standardHeaders)).toThrow();

    const staleTimestamp = Math.floor(Date.now() / 1000) - 3600;
    const staleSignature = new Webhook(account.webhookSecret).sign(standardHeaders['webhook-id'], new Date(staleTimestamp * 1000), rawBody);
    expect(() => new Webhook(account.webhookSecret).verify(rawBody, { ...standardHeaders, 'webhook-timestamp': String(staleTimestamp), 'webhook-signature': staleSignature })).toThrow(/timestamp/i);
  });

  it("sign with both secrets during a rotation's overlap", async () => {
    const account = await harness.createAccount();
    const rolled = (await harness.gateway.accounts.rollWebhookSecret(account.accountId, 60_000))!;
    const { headers, rawBody } = await deliveredTo(account.testKey, 'rotating');
    const standardHeaders = { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) };
    expect(() => new Webhook(account.webhookSecret).verify(rawBody, standardHeaders)).not.toThrow();
    expect(() => new Webhook(rolled.webhookSecret).verify(rawBody, standardHeaders)).not.toThrow();
    expect(headers['x-doitong-signature']).toBe(await signSha256(rolled.webhookSecret, rawBody));
    expect(headers['x-doitong-signature-previous']).toBe(await signSha256(account.webhookSecret, rawBody));
  });
});

describe('webhook delivery', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '100', WEBHOOK_RETRY_SCHEDULE_MS: '400,400,400' });
  });
  afterAll(() => harness.close());

  const deliveries = async (key: string, id: string) =>
    (await harness.graphql({ key, query: deliveriesQuery, variables: { id } })).body.data.webhookDeliveries as Array<{
      id: string;
      attempt: number;
      status: number | null;
      outcome: string;
      error: string | null;
    }>;

  it('to a receiver that is down, then answers 500, then 2xx, arrives exactly once, with every attempt in webhookDeliveries', async () => {
    const account = await harness.createAccount();
    const port = await freePort();
    const created = await harness.graphql({
      key: account.testKey,
      query: generateQuery,
      variables: { input: { type: 'IMAGE', input: { text: 'flaky receiver' }, webhookUrl: `http://127.0.0.1:${port}/hook` } },
    });
    const id = created.body.data.generate.id;
    await eventually(
      () => deliveries(account.testKey, id),
      (attempts) => attempts.length >= 1,
    );
    const receiver = await startReceiver((_request, index, response) => {
      response.statusCode = index === 0 ? 500 : 204;
      response.end();
    }, port);
    try {
      const attempts = await eventually(
        () => deliveries(account.testKey, id),
        (list) => list.some((attempt) => attempt.outcome === 'DELIVERED'),
      );
      expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.outcome])).toEqual([
        [1, null, 'RETRYING'],
        [2, 500, 'RETRYING'],
        [3, 204, 'DELIVERED'],
      ]);
      expect(new Set(attempts.map((attempt) => attempt.id)).size).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(receiver.requests.filter((request) => request.url === '/hook')).toHaveLength(2);
      expect(new Set(receiver.requests.map((request) => request.headers['webhook-id'])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it("waits as long as the receiver's Retry-After asks before trying again", async () => {
    const account = await harness.createAccount();
    const receiver = await startReceiver((_request, index, response) => {
      response.writeHead(index === 0 ? 429 : 200, index === 0 ? { 'retry-after': '2' } : {});
      response.end();
    });
    try {
      const created = await harness.graphql({
        key: account.testKey,
        query: generateQuery,
        variables: { input: { type: 'IMAGE', input: { text: 'slow down' }, webhookUrl: `${receiver.origin}/hook` } },
      });
      const attempts = await eventually(
        () => deliveries(account.testKey, created.body.data.generate.id),
        (list) => list.some((attempt) => attempt.outcome === 'DELIVERED'),
      );
      const [first, second] = attempts as unknown as Array<{ at: string; status: number }>;
      expect([first!.status, second!.status]).toEqual([429, 200]);
      expect(Date.parse(second!.at) - Date.parse(first!.at)).toBeGreaterThanOrEqual(1900);
    } finally {
      await receiver.close();
    }
  });

  it('stops at 410 Gone, skips that URL afterwards, and sends again when asked to redeliver', async () => {
    const account = await harness.createAccount();
    let gone = true;
    const receiver = await startReceiver((_request, _index, response) => {
      response.statusCode = gone ? 410 : 200;
      response.end();
    });
    try {
      const send = async (text: string) => {
        const created = await harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'AUDIO', input: { text }, webhookUrl: `${receiver.origin}/gone` } } });
        return created.body.data.generate.id as string;
      };
      const first = await send('first');
      expect(
        (
          await eventually(
            () => deliveries(account.testKey, first),
            (list) => list.length > 0,
          )
        ).map((attempt) => attempt.outcome),
      ).toEqual(['DISABLED']);
      const second = await send('second');
      expect(
        (
          await eventually(
            () => deliveries(account.testKey, second),
            (list) => list.length > 0,
          )
        ).map((attempt) => attempt.outcome),
      ).toEqual(['SKIPPED']);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(receiver.requests).toHaveLength(1);

      gone = false;
      const redelivered = await harness.graphql({ key: account.testKey, query: 'mutation ($id: ID!) { redeliverWebhook(generationId: $id) }', variables: { id: second } });
      expect(redelivered.body.data.redeliverWebhook).toBe(true);
      const attempts = await eventually(
        () => deliveries(account.testKey, second),
        (list) => list.length > 1,
      );
      expect(attempts.map((attempt) => attempt.outcome)).toEqual(['SKIPPED', 'DELIVERED']);
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow a redirect: a 302 fails the delivery and the target sees nothing', async () => {
    const account = await harness.createAccount();
    const canary = await startReceiver();
    const redirecting = await startReceiver((_request, _index, response) => {
      response.writeHead(302, { location: `${canary.origin}/stolen` });
      response.end();
    });
    try {
      const created = await harness.graphql({
        key: account.testKey,
        query: generateQuery,
        variables: { input: { type: 'IMAGE', input: { text: 'redirect' }, webhookUrl: `${redirecting.origin}/hook` } },
      });
      const attempts = await eventually(
        () => deliveries(account.testKey, created.body.data.generate.id),
        (list) => list.length > 0,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(attempts).toMatchObject([{ status: 302, outcome: 'FAILED' }]);
      expect(await deliveries(account.testKey, created.body.data.generate.id)).toHaveLength(1);
      expect(canary.connections()).toBe(0);
    } finally {
      await canary.close();
      await redirecting.close();
    }
  });
});

describe('SSRF protection for user-supplied URLs', () => {
  let harness: TestGateway;
  let canary: Awaited<ReturnType<typeof startReceiver>>;
  let trusted: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    canary = await startReceiver();
    trusted = await startReceiver();
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '50', ALLOW_PRIVATE_URLS: 'false', TRUSTED_ORIGINS: trusted.origin });
  });
  afterAll(async () => {
    await harness.close();
    await canary.close();
    await trusted.close();
  });

  it('refuses hostile URLs without a single connection reaching a canary, while an allowed URL still delivers', async () => {
    const account = await harness.createAccount();
    const port = canary.port;
    const refusedAtSubmit = [
      `https://127.0.0.1:${port}/`,
      `https://127.0.0.2:${port}/`,
      'https://10.0.0.1/hook',
      'https://172.16.0.1/hook',
      'https://172.31.255.254/hook',
      'https://192.168.1.10/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://224.0.0.1/hook',
      `https://[::1]:${port}/`,
      `https://[::ffff:127.0.0.1]:${port}/`,
      'https://[fd00:ec2::254]/latest/meta-data/',
      'https://[fe80::1]/hook',
      `https://2130706433:${port}/`,
      `https://0x7f000001:${port}/`,
      `https://0177.0.0.1:${port}/`,
      `https://127.1:${port}/`,
      `http://example.com/hook`,
      `http://127.0.0.1:${port}/`,
      'ftp://example.com/hook',
      'file:///etc/passwd',
      'gopher://example.com/',
      'javascript:alert(1)',
      'https://user:secret@example.com/hook',
      `https://example.com/${'a'.repeat(2100)}`,
    ];
    for (const webhookUrl of refusedAtSubmit) {
      const response = await harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'IMAGE', input: { text: 'x' }, webhookUrl } } });
      expect(response.body.errors?.[0]?.extensions, webhookUrl).toMatchObject({ code: 'INVALID_INPUT', field: 'webhookUrl' });
    }
    const image = await harness.graphql({
      key: account.testKey,
      query: generateQuery,
      variables: { input: { type: 'VIDEO', provider: 'runway', input: { text: 'x', image: 'https://169.254.169.254/latest/meta-data/' } } },
    });
    expect(image.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'input.image' });

    const byName = await harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'IMAGE', input: { text: 'x' }, webhookUrl: `https://localhost:${port}/` } } });
    const attempts = await eventually(
      async () => (await harness.graphql({ key: account.testKey, query: deliveriesQuery, variables: { id: byName.body.data.generate.id } })).body.data.webhookDeliveries,
      (list: unknown[]) => list.length > 0,
    );
    expect(attempts[0]).toMatchObject({ outcome: 'FAILED', status: null, error: expect.stringMatching(/^blocked: localhost resolves to /) });

    const allowed = await harness.graphql({ key: account.testKey, query: generateQuery, variables: { input: { type: 'IMAGE', input: { text: 'x' }, webhookUrl: `${trusted.origin}/hook` } } });
    expect(allowed.body.errors).toBeUndefined();
    await eventually(
      () => trusted.requests.length,
      (count) => count === 1,
    );
    expect(trusted.requests).toHaveLength(1);
    expect(canary.connections()).toBe(0);
  });
});

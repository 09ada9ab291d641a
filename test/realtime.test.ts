import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, GenwayError } from 'genway/client';
import { createClient as createWebSocketClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { AccountRepository } from '../src/billing/account-repository.ts';
import { createRedis } from '../src/redis/redis-client.ts';
import { redisKeys } from '../src/redis/redis-keys.ts';
import { freePort } from './support/free-port.ts';
import { exited, spawnEntryPoint } from './support/processes.ts';
import { waitUntil } from './support/wait-until.ts';

interface Update {
  status: string;
  progress: number | null;
  url: string | null;
}

const updatedSubscription = 'subscription ($id: ID!) { generationUpdated(id: $id) { status progress url } }';

/** Every payload of a graphql-ws subscription until it completes (or errors). */
async function collect(url: string, key: string, query: string, variables: Record<string, unknown>) {
  const client = createWebSocketClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
  const payloads: Array<{ data?: Record<string, Update> | null; errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }> = [];
  try {
    for await (const payload of client.iterate({ query, variables })) payloads.push(payload as (typeof payloads)[number]);
  } finally {
    await client.dispose();
  }
  return payloads;
}

describe('push: subscriptions and server-sent events, across processes', () => {
  const prefix = `push${Date.now()}`;
  let dataDir: string;
  const processes: Array<ReturnType<typeof spawnEntryPoint>> = [];
  let apiA: string;
  let apiB: string;
  let testKey: string;
  let otherKey: string;

  const readyz = (base: string) =>
    fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
  const generate = async (base: string, key: string, text: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'mutation ($text: String!) { generate(input: { type: IMAGE, input: { text: $text } }) { id } }', variables: { text } }),
    });
    return ((await response.json()) as { data: { generate: { id: string } } }).data.generate.id;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-push-'));
    const redisUrl = inject('redisUrl');
    const redis = createRedis(redisUrl);
    const accounts = new AccountRepository(redis, redisKeys(prefix));
    testKey = (await accounts.create({ name: 'push', plan: 'pro', credits: 0 })).testKey;
    otherKey = (await accounts.create({ name: 'other', plan: 'pro', credits: 0 })).testKey;
    redis.disconnect();
    const shared = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: 'warn', CREATE_DEV_ACCOUNT: 'false', SANDBOX_LATENCY_MS: '1500' };
    const [portA, portB, workerPort] = [await freePort(), await freePort(), await freePort()];
    apiA = `http://127.0.0.1:${portA}`;
    apiB = `http://127.0.0.1:${portB}`;
    processes.push(spawnEntryPoint('src/server.ts', { ...shared, PORT: String(portA) }));
    processes.push(spawnEntryPoint('src/server.ts', { ...shared, PORT: String(portB), PUBLIC_URL: apiB }));
    processes.push(spawnEntryPoint('src/worker.ts', { ...shared, PUBLIC_URL: apiB, METRICS_PORT: String(workerPort) }));
    await waitUntil(async () => (await readyz(apiA)) && (await readyz(apiB)) && (await readyz(`http://127.0.0.1:${workerPort}`)), 'both APIs and the worker being ready');
  });

  afterAll(async () => {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.map(exited));
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Statuses in the order a generation goes through them; a stream must never go back. */
  const order = ['QUEUED', 'PROCESSING', 'COMPLETED'];
  const distinct = (statuses: string[]) => statuses.filter((status, index, all) => status !== all[index - 1]);

  it('a subscriber through API A sees every transition of a generation run by the worker beside API B, in order, ending COMPLETED with its url', async () => {
    const client = createWebSocketClient({ url: `${apiA.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${testKey}` }, retryAttempts: 0 });
    const updates: Array<Update & { id: string }> = [];
    let id = '';
    const iterator = client.iterate({ query: 'subscription { generationsUpdated { id status progress url } }' });
    const reading = (async () => {
      for await (const payload of iterator) {
        const update = (payload.data as { generationsUpdated: Update & { id: string } }).generationsUpdated;
        updates.push(update);
        if (update.id === id && update.status === 'COMPLETED') break;
      }
    })();
    await sleep(300); // the subscription is in place before the generation exists
    id = await generate(apiB, testKey, 'watched from afar');
    await reading;
    await client.dispose();
    const mine = updates.filter((update) => update.id === id);
    expect(distinct(mine.map((update) => update.status))).toEqual(order);
    const progress = mine.map((update) => update.progress ?? 0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(mine.at(-1)!.url).toMatch(new RegExp(`^${apiB}/files/`));
    expect((await fetch(mine.at(-1)!.url!)).status).toBe(200);
  });

  it('generationUpdated(id) starts with the current state and goes forward to COMPLETED', async () => {
    const id = await generate(apiB, testKey, 'followed by id');
    const payloads = await collect(`${apiA.replace('http', 'ws')}/graphql`, testKey, updatedSubscription, { id });
    const statuses = distinct(payloads.map((payload) => payload.data!.generationUpdated!.status));
    expect(statuses.at(-1)).toBe('COMPLETED');
    expect(statuses).toEqual(order.slice(order.indexOf(statuses[0]!)));
  });

  it('a late subscriber gets the current state at once, and the subscription completes', async () => {
    const id = await generate(apiB, testKey, 'already done');
    await createClient({ baseUrl: apiB, apiKey: testKey }).waitForCompletion(id, { timeoutMs: 20_000 });
    const payloads = await collect(`${apiA.replace('http', 'ws')}/graphql`, testKey, updatedSubscription, { id });
    expect(payloads.map((payload) => payload.data!.generationUpdated!.status)).toEqual(['COMPLETED']);
  });

  it("another account's subscription to the id is NOT_FOUND", async () => {
    const id = await generate(apiB, testKey, 'not yours');
    const payloads = await collect(`${apiA.replace('http', 'ws')}/graphql`, otherKey, updatedSubscription, { id });
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a connection_init without a valid key (close code 4403)', async () => {
    const client = createWebSocketClient({ url: `${apiA.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer gw_test_nope' }, retryAttempts: 0 });
    const closed = await (async () => {
      try {
        for await (const _ of client.iterate({ query: '{ __typename }' })) return 'answered';
      } catch (error) {
        return (error as { code?: number }).code;
      }
    })();
    await client.dispose();
    expect(closed).toBe(4403);
  });

  it("generationsUpdated streams the account's changes, filtered by status", async () => {
    const client = createWebSocketClient({ url: `${apiA.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': testKey }, retryAttempts: 0 });
    const seen: Array<{ id: string; status: string }> = [];
    let ids: string[] = [];
    const iterator = client.iterate({ query: 'subscription { generationsUpdated(status: [COMPLETED]) { id status } }' });
    const reading = (async () => {
      for await (const payload of iterator) {
        seen.push((payload.data as { generationsUpdated: { id: string; status: string } }).generationsUpdated);
        if (ids.length > 0 && ids.every((id) => seen.some((update) => update.id === id))) break;
      }
    })();
    await sleep(300); // the subscription is in place before the generations start
    ids = [await generate(apiB, testKey, 'first of two'), await generate(apiB, testKey, 'second of two')];
    await reading;
    await client.dispose();
    expect(seen.every((update) => update.status === 'COMPLETED')).toBe(true);
    expect(
      seen
        .filter((update) => ids.includes(update.id))
        .map((update) => update.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it("Apollo Client's GraphQLWsLink subscribes and sees the generation complete", async () => {
    const id = await generate(apiB, testKey, 'through apollo');
    const wsClient = createWebSocketClient({ url: `${apiA.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${testKey}` } });
    const apollo = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      apollo.subscribe<{ generationUpdated: Update }>({ query: gql(updatedSubscription), variables: { id } }).subscribe({
        next: (result) => {
          if (result.error) reject(result.error);
          else seen.push(result.data!.generationUpdated.status);
        },
        error: reject,
        complete: () => resolve(seen),
      });
    });
    apollo.stop();
    await wsClient.dispose();
    expect(distinct(statuses)).toEqual(order.slice(order.indexOf(statuses[0]!)));
  });

  it('the typed client: waitForCompletion resolves over WebSocket with the finished generation', async () => {
    const client = createClient({ baseUrl: apiA, apiKey: testKey, webSocketImpl: WebSocket });
    const created = await client.generate({ type: 'IMAGE', input: { text: 'waited for' } });
    const progress: string[] = [];
    const done = await client.waitForCompletion(created.id, { timeoutMs: 20_000, onProgress: (generation) => progress.push(generation.status) });
    expect(done).toMatchObject({ id: created.id, status: 'COMPLETED', testMode: true });
    expect(done.url).toMatch(/\/files\//);
    expect(progress).toContain('PROCESSING');
  });

  it('the typed client: waitForCompletion still resolves, by polling, when WebSockets are refused', async () => {
    class RefusedWebSocket extends WebSocket {
      constructor(_url: string, protocols?: string | string[]) {
        super('ws://127.0.0.1:1/graphql', protocols);
      }
    }
    const client = createClient({ baseUrl: apiA, apiKey: testKey, webSocketImpl: RefusedWebSocket, pollIntervalMs: 200 });
    const created = await client.generate({ type: 'IMAGE', input: { text: 'polled for' } });
    expect(await client.waitForCompletion(created.id, { timeoutMs: 20_000 })).toMatchObject({ status: 'COMPLETED' });
  });

  it('the typed client: a [sandbox:fail] generation rejects with a GenwayError whose code is GENERATION_FAILED', async () => {
    const client = createClient({ baseUrl: apiA, apiKey: testKey, webSocketImpl: WebSocket });
    const created = await client.generate({ type: 'IMAGE', input: { text: 'doomed [sandbox:fail]' } });
    const failure = await client.waitForCompletion(created.id, { timeoutMs: 20_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GenwayError);
    expect(failure).toMatchObject({ code: 'GENERATION_FAILED' });
  });

  it('the typed client: a bad input rejects with the code and the field', async () => {
    const client = createClient({ baseUrl: apiA, apiKey: testKey });
    const failure = await client.generate({ type: 'VIDEO', provider: 'runway', input: { text: 'x' }, options: { duration: 999 } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'INVALID_INPUT', retryable: false, field: expect.stringContaining('duration') });
  });

  it('the typed client: retries a lost answer with the same Idempotency-Key, and gets the same generation back', async () => {
    const keys: string[] = [];
    let firstAnswer = '';
    const lossyFetch: typeof fetch = async (url, init) => {
      keys.push(new Headers(init?.headers).get('idempotency-key')!);
      const response = await fetch(url, init);
      if (keys.length > 1) return response;
      firstAnswer = await response.text();
      throw new TypeError('fetch failed: the connection dropped before the answer arrived');
    };
    const client = createClient({ baseUrl: apiA, apiKey: testKey, fetch: lossyFetch });
    const created = await client.generate({ type: 'IMAGE', input: { text: 'once only' } });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(created.id).toBe((JSON.parse(firstAnswer) as { data: { generate: { id: string } } }).data.generate.id);
  });

  it('curl -N on /v1/generations/{id}/events prints each state and exits after the final one', async () => {
    const id = await generate(apiB, testKey, 'streamed to curl');
    const curl = spawn('curl', ['-sN', '-H', `X-API-Key: ${testKey}`, `${apiA}/v1/generations/${id}/events`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    curl.stdout.on('data', (chunk) => (output += chunk));
    expect(await exited(curl)).toBe(0);
    const events = output
      .split('\n\n')
      .filter((block) => block.includes('event: generation'))
      .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { status: string; url: string | null });
    const statuses = distinct(events.map((event) => event.status.toUpperCase()));
    expect(statuses).toEqual(order.slice(order.indexOf(statuses[0]!)));
    expect(events.at(-1)).toMatchObject({ status: 'completed', url: expect.stringMatching(/\/files\//) });
  });

  it("/runway/v1/tasks/{id}/events streams Runway's task shape, ending SUCCEEDED", async () => {
    const id = await generate(apiB, testKey, 'a runway-shaped stream');
    const response = await fetch(`${apiA}/runway/v1/tasks/${id}/events`, { headers: { authorization: `Bearer ${testKey}`, 'x-runway-version': '2024-11-06' } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const tasks = [...text.matchAll(/^data: (.*)$/gm)].map((match) => JSON.parse(match[1]!) as { status: string; output?: string[] });
    expect(['PENDING', 'RUNNING']).toContain(tasks[0]!.status);
    expect(tasks.at(-1)).toMatchObject({ status: 'SUCCEEDED', output: [expect.stringMatching(/\/files\//)] });
  });

  it("another account's event stream is a 404 before any event", async () => {
    const id = await generate(apiB, testKey, 'private stream');
    const response = await fetch(`${apiA}/v1/generations/${id}/events`, { headers: { 'x-api-key': otherKey } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('NOT_FOUND');
  });
});

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccountStatus } from '../../src/billing/account-status.ts';
import { planLimits } from '../../src/billing/plans.ts';
import { createRedis, failFastOptions, isRedisUnavailableError } from '../../src/redis/redis-client.ts';
import { redisKeys } from '../../src/redis/redis-keys.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

interface Payload {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ extensions?: { code?: unknown } }>;
}

interface Socket {
  client: Client;
  /** The close code the server ended the connection with. */
  closed: Promise<number>;
}

/** How long a test waits for the server to close a socket before it fails (the fix closes it within milliseconds). */
const closeDeadlineMs = 10_000;

/** A graphql-ws connection with `key`, acknowledged by the server before this resolves. */
async function openSocket(url: string, key: string): Promise<Socket> {
  let reportClose: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (reportClose = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: { closed: (event) => reportClose((event as { code: number }).code) },
  });
  await new Promise((resolve) => client.on('connected', resolve));
  return { client, closed };
}

/** The server's close code, or 'still open' when it kept the socket past the deadline. */
function closeCodeOf(socket: Socket): Promise<number | 'still open'> {
  return Promise.race([socket.closed, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), closeDeadlineMs).unref())]);
}

/** A long-lived subscription, so the socket has an operation in flight when its key is refused. */
function holdSubscription(socket: Socket): void {
  socket.client.subscribe({ query: 'subscription { generationsUpdated { id status } }' }, { next: () => {}, error: () => {}, complete: () => {} });
}

/** The first result of one operation over the socket, its errors when the server refused it, or 'closed'. */
async function runOver(socket: Socket, query: string, variables?: Record<string, unknown>): Promise<Payload | 'closed'> {
  try {
    for await (const payload of socket.client.iterate({ query, variables })) return payload as Payload;
    return 'closed';
  } catch (failure) {
    return Array.isArray(failure) ? { errors: failure } : 'closed';
  }
}

/** The distinct error codes of a result ('closed' when the socket closed instead). */
const codesOf = (result: Payload | 'closed') => (result === 'closed' ? ['closed'] : [...new Set((result.errors ?? []).map((error) => error.extensions?.code))]);

const generationsOf = async (gateway: TestGateway, accountId: string) => (await gateway.gateway.repository.listForAccount(accountId, 100, undefined, {})).items.length;

const generateDocument = (aliases: number) =>
  `mutation { ${Array.from({ length: aliases }, (_, index) => `g${index}: generate(input: { type: IMAGE, input: { text: "alias ${index}" } }) { id }`).join(' ')} }`;

describe('hardening #1: revoked keys and disabled accounts over an open WebSocket', () => {
  const prefix = `tws${randomBytes(5).toString('hex')}`;
  let holder: TestGateway;
  let other: TestGateway;
  let url: string;

  beforeAll(async () => {
    // Two API processes over one Redis and one key prefix: `other` makes changes, `holder` holds the sockets.
    holder = await startTestGateway({ REDIS_PREFIX: prefix }, { worker: false });
    other = await startTestGateway({ REDIS_PREFIX: prefix }, { worker: false });
    url = `${(await holder.listen()).replace('http', 'ws')}/graphql`;
  });

  afterAll(async () => {
    await other?.close();
    await holder?.close();
  });

  it('a revoked key closes its open socket with 4401', async () => {
    const { accountId, testKey } = await holder.createAccount();
    const socket = await openSocket(url, testKey);
    holdSubscription(socket);
    await holder.gateway.accounts.revokeKeys(accountId);
    expect(await closeCodeOf(socket)).toBe(4401);
    await socket.client.dispose();
  });

  it("a disabled account's open socket is closed with 4403", async () => {
    const { accountId, testKey } = await holder.createAccount();
    const socket = await openSocket(url, testKey);
    holdSubscription(socket);
    await holder.gateway.accounts.setDisabled(accountId, true);
    expect(await closeCodeOf(socket)).toBe(4403);
    await socket.client.dispose();
  });

  it('a key revoked through another process closes the socket held by this one with 4401', async () => {
    const { accountId, testKey } = await holder.createAccount();
    const socket = await openSocket(url, testKey);
    holdSubscription(socket);
    await other.gateway.accounts.revokeKeys(accountId);
    expect(await closeCodeOf(socket)).toBe(4401);
    await socket.client.dispose();
  });

  it('an account disabled through another process has its socket here closed with 4403', async () => {
    const { accountId, testKey } = await holder.createAccount();
    const socket = await openSocket(url, testKey);
    holdSubscription(socket);
    await other.gateway.accounts.setDisabled(accountId, true);
    expect(await closeCodeOf(socket)).toBe(4403);
    await socket.client.dispose();
  });

  it('a generate sent over the socket after its key was rolled creates nothing', async () => {
    const { accountId, testKey } = await holder.createAccount();
    const socket = await openSocket(url, testKey);
    await holder.gateway.accounts.rollKeys(accountId);
    await runOver(socket, generateDocument(1));
    await socket.client.dispose();
    expect(await generationsOf(holder, accountId)).toBe(0);
  });

  it('a limit raised through another process applies to a socket opened before', async () => {
    const { accountId, testKey } = await holder.createAccount();
    await holder.gateway.accounts.setLimits(accountId, { perMinute: 1 });
    const socket = await openSocket(url, testKey);
    await other.gateway.accounts.setLimits(accountId, { perMinute: 5 });
    const results = [await runOver(socket, generateDocument(1)), await runOver(socket, generateDocument(1))];
    await socket.client.dispose();
    expect(results.flatMap(codesOf)).toEqual([]);
  });
});

describe('hardening #2: GraphQL limits on every transport', () => {
  let production: TestGateway;
  let url: string;
  let key: string;

  beforeAll(async () => {
    production = await startTestGateway({ NODE_ENV: 'production' }, { worker: false });
    url = `${(await production.listen()).replace('http', 'ws')}/graphql`;
    key = (await production.createAccount()).testKey;
  });

  afterAll(async () => {
    await production?.close();
  });

  const overWebSocket = async (query: string, variables?: Record<string, unknown>) => {
    const socket = await openSocket(url, key);
    const result = await runOver(socket, query, variables);
    await socket.client.dispose();
    return result;
  };

  it('refuses more aliases than the limit over WebSocket (INVALID_INPUT)', async () => {
    const aliases = Array.from({ length: 11 }, (_, index) => `a${index}: account { id }`).join(' ');
    expect(codesOf(await overWebSocket(`{ ${aliases} }`))).toEqual(['INVALID_INPUT']);
  });

  it('refuses a document deeper than the limit over WebSocket (INVALID_INPUT)', async () => {
    const deep = `{ ${'... on Query { '.repeat(9)}account { id }${' }'.repeat(9)} }`;
    expect(codesOf(await overWebSocket(deep))).toEqual(['INVALID_INPUT']);
  });

  it('refuses introspection over WebSocket in production (INVALID_INPUT)', async () => {
    expect(codesOf(await overWebSocket('{ __schema { queryType { name } } }'))).toEqual(['INVALID_INPUT']);
  });

  it('refuses a document over the token limit over WebSocket (INVALID_INPUT)', async () => {
    // The attack's shape, within the socket's 64 KiB message limit: 2,800 aliases of one fragment.
    const flood = Array.from({ length: 2800 }, (_, index) => `a${index}:account{...w}`).join(' ');
    const result = await overWebSocket(`fragment w on Account{rateLimit{running}} {${flood}}`);
    expect(codesOf(result)).toEqual(['INVALID_INPUT']);
  });

  it('refuses a missing required variable over WebSocket (INVALID_INPUT, as over HTTP)', async () => {
    expect(codesOf(await overWebSocket('query ($id: ID!) { generation(id: $id) { id } }', {}))).toEqual(['INVALID_INPUT']);
  });

  it('refuses a variable of the wrong type over WebSocket (INVALID_INPUT, as over HTTP)', async () => {
    expect(codesOf(await overWebSocket('mutation ($id: ID!) { cancelGeneration(id: $id) }', { id: { not: 'an id' } }))).toEqual(['INVALID_INPUT']);
  });

  it('closes with 4400 a socket whose client sends a message only a server may send', async () => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    socket.on('message', () => socket.send(JSON.stringify({ type: 'next', id: 'x', payload: {} })));
    expect(await closed).toBe(4400);
  });

  it('accepts a bare `metadata` selection over WebSocket as over HTTP', async () => {
    const { data } = (await production.graphql({ key, query: 'mutation { generate(input: { type: IMAGE, input: { text: "bare" } }) { id } }' })).body;
    const result = await overWebSocket(`{ generation(id: "${data.generate.id}") { id metadata error } }`);
    expect(result).toMatchObject({ data: { generation: { id: data.generate.id } } });
  });

  it('a generate with many aliases creates no more generations over WebSocket than over HTTP', async () => {
    const overHttp = await production.createAccount();
    const overSocket = await production.createAccount();
    await production.graphql({ key: overHttp.testKey, query: generateDocument(30) });
    const socket = await openSocket(url, overSocket.testKey);
    await runOver(socket, generateDocument(30));
    await socket.client.dispose();
    expect(await generationsOf(production, overSocket.accountId)).toBe(await generationsOf(production, overHttp.accountId));
  });

  it('a rate-limit status read that Redis does not answer fails as Redis unreachable, not with a TypeError', async () => {
    // A Redis that accepts the connection and never answers, as one stalled behind a flooded event loop looks.
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const redis = createRedis(`redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, { ...failFastOptions(100), enableReadyCheck: false });
    await new Promise((resolve) => redis.once('ready', resolve));
    const failure = await new AccountStatus(redis, redisKeys('tsilent')).rateLimit('acct', planLimits.pro).catch((error: unknown) => error);
    redis.disconnect();
    for (const socket of held) socket.destroy();
    silent.close();
    expect(isRedisUnavailableError(failure)).toBe(true);
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../src/billing/account-repository.ts';
import { createRedis } from '../src/redis/redis-client.ts';
import { redisKeys } from '../src/redis/redis-keys.ts';
import { type RedisServerHandle, startRedisServer } from '../src/redis/redis-server-process.ts';
import { freePort } from './support/free-port.ts';
import { exited, repositoryRoot, spawnEntryPoint } from './support/processes.ts';
import { waitUntil } from './support/wait-until.ts';

/** A request the gateway must answer within this long, Redis or not. */
const answerWithinMs = 2000;

const generateMutation = 'mutation { generate(input: { type: IMAGE, provider: "sandbox", input: { text: "a lighthouse" } }) { id status } }';

describe('Redis stops under a running gateway (API and worker in separate processes)', () => {
  const prefix = `outage${Date.now()}`;
  let redisDir: string;
  let dataDir: string;
  let redisPort: number;
  let redisServer: RedisServerHandle;
  let api: ReturnType<typeof spawnEntryPoint>;
  let worker: ReturnType<typeof spawnEntryPoint>;
  let baseUrl: string;
  let liveKey: string;
  let accountId: string;
  const accepted: string[] = [];
  let balanceBeforeOutage = 0;

  const startRedis = () => startRedisServer({ dir: redisDir, port: redisPort });
  const accounts = async <T>(use: (repository: AccountRepository) => Promise<T>) => {
    const redis = createRedis(redisServer.address);
    try {
      return await use(new AccountRepository(redis, redisKeys(prefix)));
    } finally {
      redis.disconnect();
    }
  };
  const graphql = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${liveKey}`, ...headers },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(answerWithinMs),
    });
  const readyz = () => fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(answerWithinMs) });

  beforeAll(async () => {
    redisDir = await mkdtemp(path.join(os.tmpdir(), 'genway-outage-redis-'));
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-outage-data-'));
    redisPort = await freePort();
    redisServer = await startRedis();
    ({ liveKey, accountId } = await accounts((repository) => repository.create({ name: 'outage', plan: 'pro', credits: 1000 })));
    const apiPort = await freePort();
    baseUrl = `http://127.0.0.1:${apiPort}`;
    // No PUBLIC_URL on either: the worker must still link outputs to the API's real port.
    const shared = { REDIS_URL: redisServer.address, REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: 'info', CREATE_DEV_ACCOUNT: 'false', SANDBOX_LATENCY_MS: '3000' };
    api = spawnEntryPoint('src/server.ts', { ...shared, PORT: String(apiPort) });
    worker = spawnEntryPoint('src/worker.ts', { ...shared, PORT: String(await freePort()) });
    await waitUntil(async () => (await readyz()).status === 200, 'the API becoming ready');
    await waitUntil(async () => worker.output().includes('genway worker running'), 'the worker starting');
    for (let index = 0; index < 3; index++) {
      const body = (await (await graphql(generateMutation)).json()) as { data: { generate: { id: string } } };
      accepted.push(body.data.generate.id);
    }
    balanceBeforeOutage = (await accounts((repository) => repository.get(accountId)))!.credits;
    await redisServer.stop();
  });

  afterAll(async () => {
    for (const child of [api, worker]) child?.kill('SIGKILL');
    await redisServer?.stop();
    await Promise.all([redisDir, dataDir].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const outageRequests: Array<[string, () => Promise<Response>]> = [
    ['generate (GraphQL, with an Idempotency-Key)', () => graphql(generateMutation, { 'idempotency-key': 'during-the-outage' })],
    ['generation(id) (GraphQL)', () => graphql(`{ generation(id: "${accepted[0]}") { status } }`)],
    ['GET /v1/generations/{id}', () => fetch(`${baseUrl}/v1/generations/${accepted[0]}`, { headers: { 'x-api-key': liveKey }, signal: AbortSignal.timeout(answerWithinMs) })],
    [
      'POST /v1/text_to_image',
      () =>
        fetch(`${baseUrl}/v1/text_to_image`, {
          method: 'POST',
          headers: { 'x-api-key': liveKey, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: 'a lighthouse', provider: 'sandbox' }),
          signal: AbortSignal.timeout(answerWithinMs),
        }),
    ],
    [
      'GET /runway/v1/tasks/{id}',
      () => fetch(`${baseUrl}/runway/v1/tasks/${accepted[0]}`, { headers: { authorization: `Bearer ${liveKey}`, 'x-runway-version': '2024-11-06' }, signal: AbortSignal.timeout(answerWithinMs) }),
    ],
  ];

  it.each(outageRequests)('%s answers 503 SERVICE_UNAVAILABLE with Retry-After within 2 s', async (_name, send) => {
    const response = await send();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(JSON.stringify(await response.json())).toContain('SERVICE_UNAVAILABLE');
  });

  it('/livez stays 200 while /readyz (and /healthz) answer 503 with the reason', async () => {
    expect((await fetch(`${baseUrl}/livez`, { signal: AbortSignal.timeout(answerWithinMs) })).status).toBe(200);
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'redis is unreachable' });
    expect((await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(answerWithinMs) })).status).toBe(503);
  });

  it('logs the outage as one JSON line per process, with no stack traces in between', async () => {
    await sleep(2500); // several reconnect attempts
    for (const child of [api, worker]) {
      const lines = child.output().split('\n').filter(Boolean);
      const parsed = lines.map((line) => JSON.parse(line) as { event?: string });
      expect(parsed.filter((line) => line.event === 'redis.down')).toHaveLength(1);
    }
  });

  it('serves again once Redis is back, without a restart', async () => {
    redisServer = await startRedis();
    await waitUntil(async () => (await readyz()).status === 200, '/readyz answering 200 again');
    const listed = (await (await graphql('{ generations(first: 10) { edges { node { id } } } }')).json()) as { data: { generations: { edges: unknown[] } } };
    expect(listed.data.generations.edges).toHaveLength(3);
  });

  it('completes every generation accepted before the outage, linking outputs to the API', async () => {
    for (const id of accepted) {
      let generation: { status: string; url: string | null } = { status: '', url: null };
      await waitUntil(async () => {
        generation = ((await (await graphql(`{ generation(id: "${id}") { status url } }`)).json()) as { data: { generation: typeof generation } }).data.generation;
        return generation.status === 'COMPLETED';
      }, `generation ${id} completing`);
      expect(generation.url!.startsWith(`${baseUrl}/files/`)).toBe(true);
      expect((await fetch(generation.url!)).status).toBe(200);
    }
  });

  it('left no trace of the requests it refused: no other generation, no other charge', async () => {
    const account = await accounts((repository) => repository.get(accountId));
    expect(account!.credits).toBe(balanceBeforeOutage);
    const all = (await (await graphql('{ generations(first: 50) { edges { node { id } } } }')).json()) as { data: { generations: { edges: Array<{ node: { id: string } }> } } };
    expect(all.data.generations.edges.map((edge) => edge.node.id).sort()).toEqual([...accepted].sort());
  });

  it('logs that Redis is back, and neither process restarted', async () => {
    await waitUntil(async () => [api, worker].every((child) => child.output().includes('"event":"redis.up"')), 'both processes logging redis.up');
    expect([api.exitCode, worker.exitCode]).toEqual([null, null]);
  });
});

describe('npm start supervises the redis-server it starts', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-supervise-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('restarts a private redis-server that was killed, and keeps serving', async () => {
    const port = await freePort();
    const gateway = spawnEntryPoint('src/main.ts', { PORT: String(port), DATA_DIR: dataDir, SANDBOX_LATENCY_MS: '200' });
    try {
      await waitUntil(async () => /gw_test_\w+/.test(gateway.output()), 'the dev key being printed');
      const testKey = /gw_test_\w+/.exec(gateway.output())![0];
      const socket = createRedis(path.join(dataDir, 'redis', 'redis.sock'));
      const redisPid = Number(/process_id:(\d+)/.exec(await socket.info('server'))![1]);
      socket.disconnect();
      process.kill(redisPid, 'SIGKILL');
      await waitUntil(async () => gateway.output().includes('"event":"redis_server.restarted"'), 'the restart being logged');
      // Its clients reconnect on their own schedule after the restart: ready again means they have.
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 'the gateway being ready again');
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${testKey}` },
        body: JSON.stringify({ query: '{ account { name } }' }),
      });
      // The account made before the crash is still there: the restarted server read its AOF back.
      expect(await answer.json()).toEqual({ data: { account: { name: 'dev' } } });
    } finally {
      gateway.kill('SIGTERM');
      await exited(gateway);
    }
  });
});

describe('npm start and signals', () => {
  it('exits within 10 s of SIGTERM sent to `npm start` while its Redis is gone', async () => {
    const redisDir = await mkdtemp(path.join(os.tmpdir(), 'genway-sigterm-redis-'));
    const redis = await startRedisServer({ dir: redisDir, port: await freePort() });
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), REDIS_URL: redis.address, DATA_DIR: redisDir, CREATE_DEV_ACCOUNT: 'false' },
      stdio: 'ignore',
    });
    try {
      const readyz = () => fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(answerWithinMs) });
      await waitUntil(async () => (await readyz()).status === 200, 'npm start serving');
      await redis.stop();
      await waitUntil(async () => (await readyz()).status === 503, 'the gateway noticing Redis is gone');
      npm.kill('SIGTERM');
      const outcome = await Promise.race([exited(npm).then(() => 'exited'), sleep(10_000).then(() => 'still running')]);
      expect(outcome).toBe('exited');
      await expect(fetch(`http://127.0.0.1:${port}/livez`)).rejects.toThrow();
    } finally {
      npm.kill('SIGKILL');
      await rm(redisDir, { recursive: true, force: true });
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Plan } from '../../src/billing/plans.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import type { Generation, GenerationStatus } from '../../src/generations/generation.ts';
import { startWorkers } from '../../src/jobs/worker-runtime.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { randomToken } from '../../src/shared/ids.ts';
import type { StorageFiles } from '../../src/storage/storage-files.ts';

export interface GraphQLCall {
  query: string;
  variables?: Record<string, unknown>;
  key?: string;
  headers?: Record<string, string>;
}

export interface GraphQLResponse {
  status: number;
  headers: Record<string, unknown>;
  body: { data?: any; errors?: Array<{ message: string; path?: string[]; extensions: { code: string; [name: string]: unknown } }> };
}

export interface TestGateway {
  config: Config;
  gateway: Gateway;
  app: FastifyInstance;
  graphql(call: GraphQLCall): Promise<GraphQLResponse>;
  createAccount(options?: { plan?: Plan; credits?: number }): Promise<{ accountId: string; liveKey: string; testKey: string; webhookSecret: string }>;
  waitForStatus(generationId: string, statuses: GenerationStatus[], timeoutMs?: number): Promise<string>;
  /** `generate` with `key`, which must be accepted; waits for the generation to end and answers its record. */
  runGeneration(key: string, input: Record<string, unknown>): Promise<Generation>;
  download(url: string): Promise<{ status: number; contentType: string; bytes: Buffer }>;
  /** A video provider as `providers` shows it to `key`: whether it is available, and which of its routes are configured. */
  videoProviderRoutes(key: string, providerId: string): Promise<{ id: string; available: boolean; routes: Array<{ id: string; configured: boolean }> } | undefined>;
  /** Stops this gateway's in-process workers, leaving its API and Redis keys in place. */
  stopWorkers(): Promise<void>;
  /** Listens on a free loopback port, for clients that need a real socket (SDKs, browsers); answers its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Settings that keep tests fast: short sandbox latency and quick stalled-job recovery. */
export const fastTestSettings = {
  SANDBOX_LATENCY_MS: '300',
  LOG_LEVEL: 'silent',
  JOB_LOCK_MS: '2000',
  JOB_STALLED_INTERVAL_MS: '1000',
  UPSTREAM_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_SCHEDULE_MS: '50,100,100',
  ALLOW_PRIVATE_URLS: 'true',
  CREATE_DEV_ACCOUNT: 'false',
  // Test files run side by side on two cores, so a reply can sit unread for over a second under load.
  // The 503-within-2-s contract is tested with separate processes (redis-outage.test.ts).
  REDIS_COMMAND_TIMEOUT_MS: '15000',
};

/** A whole gateway (API through inject, worker in-process) over the shared test Redis, under its own key prefix. */
export async function startTestGateway(settings: Record<string, string> = {}, options: { worker?: boolean; logTo?: DestinationStream; files?: StorageFiles } = {}): Promise<TestGateway> {
  const redisUrl = inject('redisUrl');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-test-'));
  const config = loadConfig({ ...fastTestSettings, REDIS_URL: redisUrl, REDIS_PREFIX: `t${randomToken(10)}`, DATA_DIR: dataDir, PUBLIC_URL: 'http://gateway.test', ...settings });
  const gateway = createGateway(config, createLogger(config.LOG_LEVEL, options.logTo), redisUrl, { files: options.files });
  if (!(await gateway.connectivity.waitUntilUp(10_000))) throw new Error('the test Redis is not reachable');
  const workers = options.worker === false ? null : startWorkers(gateway);
  const app = await buildApp(gateway);
  await app.ready();

  const graphql = async ({ query, variables, key, headers }: GraphQLCall): Promise<GraphQLResponse> => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: response.statusCode, headers: response.headers, body: response.json() };
  };

  const waitForStatus: TestGateway['waitForStatus'] = async (generationId, statuses, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    let status = '';
    while (Date.now() < deadline) {
      status = (await gateway.repository.get(generationId))?.status ?? 'MISSING';
      if (statuses.includes(status as GenerationStatus)) return status;
      await sleep(50);
    }
    throw new Error(`generation ${generationId} stayed ${status}, expected ${statuses.join('|')}`);
  };

  return {
    config,
    gateway,
    app,
    graphql,
    createAccount: ({ plan = 'pro', credits = 1000 } = {}) => gateway.accounts.create({ name: 'test', plan, credits }),
    waitForStatus,
    async runGeneration(key, input) {
      const created = await graphql({ key, query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }', variables: { input } });
      if (created.body.errors) throw new Error(`generate was refused: ${JSON.stringify(created.body.errors)}`);
      const id = created.body.data.generate.id as string;
      await waitForStatus(id, ['COMPLETED', 'FAILED', 'CANCELLED']);
      return (await gateway.repository.get(id))!;
    },
    async videoProviderRoutes(key, providerId) {
      const response = await graphql({ key, query: '{ providers(type: VIDEO) { id available routes { id configured } } }' });
      return response.body.data.providers.find((provider: { id: string }) => provider.id === providerId);
    },
    async download(url) {
      const response = await app.inject({ method: 'GET', url: url.replace(config.PUBLIC_URL, '') });
      return { status: response.statusCode, contentType: String(response.headers['content-type']), bytes: response.rawPayload };
    },
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    },
    async stopWorkers() {
      await workers?.close();
    },
    async close() {
      await app.close();
      await workers?.close();
      const stale = await gateway.redis.keys(`${config.REDIS_PREFIX}*`);
      if (stale.length > 0) await gateway.redis.del(...stale);
      await gateway.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

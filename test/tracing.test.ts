import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AccountRepository } from '../src/billing/account-repository.ts';
import { createRedis } from '../src/redis/redis-client.ts';
import { redisKeys } from '../src/redis/redis-keys.ts';
import { type CollectedSpan, startFakeOtlpCollector } from './fakes/fake-otlp-collector.ts';
import { startFakeRunway } from './fakes/fake-runway.ts';
import { freePort } from './support/free-port.ts';
import { exited, spawnEntryPoint } from './support/processes.ts';
import { waitUntil } from './support/wait-until.ts';

const spanKind = { server: 2, client: 3, consumer: 5 };

describe('OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT set), API and worker apart', () => {
  const prefix = `otel${Date.now()}`;
  let dataDir: string;
  let collector: Awaited<ReturnType<typeof startFakeOtlpCollector>>;
  let runway: Awaited<ReturnType<typeof startFakeRunway>>;
  const processes: Array<ReturnType<typeof spawnEntryPoint>> = [];
  let trace: CollectedSpan[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-otel-'));
    collector = await startFakeOtlpCollector();
    runway = await startFakeRunway({ apiKey: 'r_traced' });
    const redisUrl = inject('redisUrl');
    const redis = createRedis(redisUrl);
    const { liveKey } = await new AccountRepository(redis, redisKeys(prefix)).create({ name: 'traced', plan: 'pro', credits: 10_000 });
    redis.disconnect();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const shared = {
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      CREATE_DEV_ACCOUNT: 'false',
      ALLOW_PRIVATE_URLS: 'true',
      RUNWAY_API_KEY: 'r_traced',
      RUNWAY_BASE_URL: runway.url,
      UPSTREAM_POLL_INTERVAL_MS: '100',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    };
    processes.push(spawnEntryPoint('src/server.ts', { ...shared, PORT: String(port) }), spawnEntryPoint('src/worker.ts', shared));
    await waitUntil(async () => (await fetch(`${base}/readyz`)).ok, 'the API being ready');
    const created = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${liveKey}` },
      body: JSON.stringify({ query: 'mutation { generate(input: { type: IMAGE, provider: "runway", input: { text: "traced" } }) { id } }' }),
    });
    const { id } = ((await created.json()) as { data: { generate: { id: string } } }).data.generate;
    const status = async () =>
      (
        (await (
          await fetch(`${base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${liveKey}` },
            body: JSON.stringify({ query: `{ generation(id: "${id}") { status } }` }),
          })
        ).json()) as { data: { generation: { status: string } } }
      ).data.generation.status;
    await waitUntil(async () => (await status()) === 'COMPLETED', 'the generation completing');
    const requestSpan = () =>
      collector.spans.find(
        (span) => span.kind === spanKind.server && span.service === 'genway-api' && String(span.attributes['http.target'] ?? span.attributes['url.path'] ?? '').startsWith('/graphql'),
      );
    await waitUntil(async () => requestSpan() !== undefined, 'the API exporting its request span');
    const traceId = requestSpan()!.traceId;
    await waitUntil(
      async () => collector.spans.some((span) => span.traceId === traceId && span.service === 'genway-worker' && span.kind === spanKind.client),
      'the worker exporting its upstream calls',
    );
    trace = collector.spans.filter((span) => span.traceId === traceId);
  });

  afterAll(async () => {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.map(exited));
    await Promise.all([collector?.close(), runway?.close()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("the API's Redis commands for the request are in the request's trace", () => {
    const redisCommands = trace.filter((span) => span.service === 'genway-api' && (span.attributes['db.system.name'] ?? span.attributes['db.system']) === 'redis');
    // Three scripts: authenticate, create (which also announces the generation) and BullMQ's add.
    expect(redisCommands.filter((span) => span.name === 'evalsha').length).toBeGreaterThanOrEqual(3);
  });

  it("the worker's steps join the same trace through the queue", () => {
    expect(trace.filter((span) => span.service === 'genway-worker' && span.kind === spanKind.consumer && span.name === 'generation step').length).toBeGreaterThanOrEqual(2);
  });

  it('the upstream calls to Runway are in the same trace, under a worker step', () => {
    const upstream = trace.filter((span) => span.service === 'genway-worker' && span.kind === spanKind.client && String(span.attributes['url.full'] ?? '').startsWith(runway.url));
    expect(upstream.map((span) => span.attributes['http.request.method'])).toEqual(expect.arrayContaining(['POST', 'GET']));
    const steps = new Set(trace.filter((span) => span.name === 'generation step').map((span) => span.spanId));
    expect(upstream.every((span) => steps.has(span.parentSpanId ?? ''))).toBe(true);
  });
});

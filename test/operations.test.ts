import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { captureLogs } from './support/captured-logs.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const sample = (text: string, name: string, labels: Record<string, string>) => {
  const family = parsePrometheusTextFormat(text).find((candidate) => candidate.name === name);
  const found = family?.metrics.find((metric) => Object.entries(labels).every(([label, value]) => metric.labels?.[label] === value));
  return Number(found?.value ?? found?.count ?? 0);
};

describe('metrics, request ids and logs', () => {
  let harness: TestGateway;
  const logs = captureLogs();
  const metricsToken = 'a-metrics-token-of-some-length';
  beforeAll(async () => {
    harness = await startTestGateway({ LOG_LEVEL: 'info', METRICS_TOKEN: metricsToken }, { logTo: logs.stream });
  });
  afterAll(() => harness.close());

  const scrape = async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  it('/metrics parses as Prometheus text and its counters move with a generation', async () => {
    const { liveKey } = await harness.createAccount({ credits: 1000 });
    const labels = { provider: 'sandbox', type: 'IMAGE', status: 'COMPLETED' };
    const before = await scrape();
    const generation = await harness.runGeneration(liveKey, { type: 'IMAGE', provider: 'sandbox', input: { text: 'counted' } });
    const after = await scrape();
    expect(generation.status).toBe('COMPLETED');
    expect(sample(after, 'genway_generations_finished_total', labels)).toBe(sample(before, 'genway_generations_finished_total', labels) + 1);
    expect(sample(after, 'genway_generations_submitted_total', { provider: 'sandbox' })).toBe(sample(before, 'genway_generations_submitted_total', { provider: 'sandbox' }) + 1);
    expect(sample(after, 'genway_credits_charged_total', { provider: 'sandbox' })).toBe(sample(before, 'genway_credits_charged_total', { provider: 'sandbox' }) + generation.creditCost);
    // parse-prometheus-text-format keeps only a histogram's buckets, so its _count is read off the text.
    const graphqlAnswered = (text: string) => Number(/^genway_http_request_duration_seconds_count\{[^}]*route="\/graphql",status="200"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    expect(graphqlAnswered(after)).toBeGreaterThan(graphqlAnswered(before));
    expect(sample(after, 'genway_redis_up', {})).toBe(1);
    expect(parsePrometheusTextFormat(after).find((family) => family.name === 'genway_queue_jobs')!.metrics.length).toBeGreaterThan(0);
  });

  it('/metrics needs METRICS_TOKEN when it is set', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(401);
    expect(response.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it("echoes a client's X-Request-Id and names it in the access log line", async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': 'trace-me-42' } });
    expect(response.headers['x-request-id']).toBe('trace-me-42');
    expect(logs.lines).toContainEqual(expect.objectContaining({ requestId: 'trace-me-42', method: 'GET', url: '/livez', status: 200, msg: 'request' }));
  });

  it('makes up a request id when the client sent none', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/livez' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces a request id that is not a plain token', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': 'not a token\u0007' } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs submitted and completed lines with the generation, provider, route and duration', async () => {
    const { testKey } = await harness.createAccount();
    const generation = await harness.runGeneration(testKey, { type: 'IMAGE', input: { text: 'logged' } });
    const about = logs.lines.filter((line) => line.generationId === generation.id);
    expect(about).toContainEqual(expect.objectContaining({ event: 'generation.submitted', provider: generation.provider, route: generation.route }));
    expect(about).toContainEqual(expect.objectContaining({ event: 'generation.completed', provider: generation.provider, route: generation.route, durationMs: expect.any(Number) }));
  });

  it('logs a failed line with the error code', async () => {
    const { testKey } = await harness.createAccount();
    const generation = await harness.runGeneration(testKey, { type: 'IMAGE', input: { text: 'refused [sandbox:fail]' } });
    expect(logs.lines).toContainEqual(expect.objectContaining({ event: 'generation.failed', generationId: generation.id, code: generation.error!.code }));
  });

  it('never logs an API key', () => {
    expect(JSON.stringify(logs.lines)).not.toMatch(/gw_(live|test)_[A-Za-z0-9]{10}/);
  });
});

describe('the smaller defects', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ ALLOW_PRIVATE_URLS: 'false' }, { worker: false });
  });
  afterAll(() => harness.close());

  const generate = (key: string, input: Record<string, unknown>) => harness.graphql({ key, query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }', variables: { input } });

  it('takes a bare API key in Authorization (no "Bearer")', async () => {
    const { testKey } = await harness.createAccount();
    const response = await harness.app.inject({ method: 'GET', url: '/v1/providers', headers: { authorization: testKey } });
    expect(response.statusCode).toBe(200);
  });

  it('GET /files/ is 404 NOT_FOUND', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/files/' });
    expect(response.statusCode).toBe(404);
    expect(response.json().errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('a DELETE without a body but with Content-Type: application/json is not refused as invalid JSON', async () => {
    const { testKey } = await harness.createAccount();
    const created = await generate(testKey, { type: 'IMAGE', input: { text: 'to cancel' } });
    const response = await harness.app.inject({ method: 'DELETE', url: `/v1/generations/${created.body.data.generate.id}`, headers: { 'x-api-key': testKey, 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(200);
  });

  it.each(['https://[::127.0.0.1]/hook', 'https://[::7f00:1]/hook', 'https://[64:ff9b::a00:1]/hook', 'https://[2002:a00:1::]/hook', 'https://[2001:db8::1]/hook'])(
    'refuses %s as a webhook URL: not a globally routable unicast address',
    async (webhookUrl) => {
      const { testKey } = await harness.createAccount();
      const response = await generate(testKey, { type: 'IMAGE', input: { text: 'x' }, webhookUrl });
      expect(response.status).toBe(400);
      expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'webhookUrl' });
    },
  );

  it('refuses a data: URI that is not an image where an image goes', async () => {
    const { testKey } = await harness.createAccount();
    const html = `data:text/html;base64,${Buffer.from('<script>alert(1)</script>').toString('base64')}`;
    const response = await generate(testKey, { type: 'VIDEO', input: { text: 'x', image: html } });
    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'input.image' });
  });

  it('a disabled account gets 403 FORBIDDEN, and works again once enabled', async () => {
    const { accountId, testKey } = await harness.createAccount();
    await harness.gateway.accounts.setDisabled(accountId, true);
    const refused = await harness.graphql({ key: testKey, query: '{ account { id } }' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    await harness.gateway.accounts.setDisabled(accountId, false);
    expect((await harness.graphql({ key: testKey, query: '{ account { id } }' })).status).toBe(200);
  });

  it('does not create the dev account in production unless told to', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).CREATE_DEV_ACCOUNT).toBe(false);
    expect(loadConfig({}).CREATE_DEV_ACCOUNT).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', CREATE_DEV_ACCOUNT: 'true' }).CREATE_DEV_ACCOUNT).toBe(true);
  });
});

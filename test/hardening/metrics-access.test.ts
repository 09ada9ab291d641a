import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/captured-logs.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

const metricsToken = 'a-metrics-token-of-some-length';
let harness: TestGateway | null = null;

async function gatewayWith(settings: Record<string, string>, logs = captureLogs()) {
  harness = await startTestGateway({ LOG_LEVEL: 'info', ...settings }, { worker: false, logTo: logs.stream });
  return { harness, logs };
}

const scrape = (gateway: TestGateway, headers: Record<string, string> = {}) => gateway.app.inject({ method: 'GET', url: '/metrics', headers });

afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('hardening #10: /metrics in production', () => {
  it('answers 404 NOT_FOUND in production when METRICS_TOKEN is unset', async () => {
    const { harness } = await gatewayWith({ NODE_ENV: 'production' });
    const response = await scrape(harness);
    expect(response.statusCode).toBe(404);
    expect(response.json().errors[0].extensions.code).toBe('NOT_FOUND');
    expect(response.body).not.toContain('genway_');
  });

  it('warns at start that /metrics is off in production', async () => {
    const { logs } = await gatewayWith({ NODE_ENV: 'production' });
    expect(logs.lines).toContainEqual(expect.objectContaining({ event: 'metrics.off', level: 40 }));
  });

  it('serves /metrics to anyone in production with METRICS_PUBLIC=true, without a warning', async () => {
    const { harness, logs } = await gatewayWith({ NODE_ENV: 'production', METRICS_PUBLIC: 'true' });
    const response = await scrape(harness);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('genway_redis_up');
    expect(logs.lines.some((line) => line.event === 'metrics.off')).toBe(false);
  });

  it('asks for METRICS_TOKEN in production when it is set, and serves it with the token', async () => {
    const { harness } = await gatewayWith({ NODE_ENV: 'production', METRICS_TOKEN: metricsToken });
    const refused = await scrape(harness);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await scrape(harness, { authorization: `Bearer ${metricsToken}` })).statusCode).toBe(200);
  });

  it('stays open outside production unless METRICS_PUBLIC=false', async () => {
    const { harness: open } = await gatewayWith({ NODE_ENV: 'development' });
    expect((await scrape(open)).statusCode).toBe(200);
    await open.close();
    const { harness: closed } = await gatewayWith({ NODE_ENV: 'development', METRICS_PUBLIC: 'false' });
    expect((await scrape(closed)).statusCode).toBe(404);
  });
});

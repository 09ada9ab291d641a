import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generation } from '../../src/generations/generation.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { sanitizeUpstreamText } from '../../src/providers/shared/upstream-text.ts';
import { type FakeKling, startFakeKling } from '../fakes/fake-kling.ts';
import { type FakeRunway, startFakeRunway } from '../fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** Deliberately short and shapeless, so only knowing the configured key (not a pattern) can find it. */
const runwayKey = 'rwk7Qz2m';
const klingAccessKey = 'akHardening42';
const klingSecretKey = 'sk_hardening_kling_secret_value';
const internalHost = 'gpu-worker-17.egress.internal';
const internalAddress = '10.12.0.7';

/** What a careless vendor echoes into an error: the caller's key, its own internal hosts and a stack. */
const echo = (key: string) =>
  `request from ${key} (Authorization: Bearer ${key}) failed at http://${internalAddress}:8443/v1/submit?key=${key} on ${internalHost}\n    at Submit.run (/srv/vendor/submit.js:41:9)`;

const generationQuery = '{ generation(id: "ID") { status error { code message } } }';

function captureLog() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const leaks = (text: string, key: string) => [key, internalHost, internalAddress].filter((secret) => text.includes(secret));

describe('hardening #5: upstream error text', () => {
  let runway: FakeRunway;
  let kling: FakeKling;
  let harness: TestGateway;
  let liveKey: string;
  let failed: Generation;
  let klingFailed: Generation;
  let taskFailed: Generation;
  const log = captureLog();

  beforeAll(async () => {
    runway = await startFakeRunway({ apiKey: runwayKey });
    kling = await startFakeKling({ accessKey: klingAccessKey, secretKey: klingSecretKey });
    harness = await startTestGateway(
      {
        RUNWAY_API_KEY: runwayKey,
        RUNWAY_BASE_URL: runway.url,
        KLING_ACCESS_KEY: klingAccessKey,
        KLING_SECRET_KEY: klingSecretKey,
        KLING_BASE_URL: kling.url,
        UPSTREAM_POLL_INTERVAL_MS: '20',
        LOG_LEVEL: 'info',
      },
      { logTo: log.stream },
    );
    ({ liveKey } = await harness.createAccount({ credits: 10_000 }));
    runway.answerNext({ method: 'POST', path: /\/v1\/text_to_image$/, status: 400, body: { error: echo(runwayKey), code: 'INPUT_VALIDATION' } });
    failed = await harness.runGeneration(liveKey, { type: 'IMAGE', provider: 'runway', input: { text: 'an echoing vendor' } });
    kling.refuseNextCreate(400, 1201, echo(klingAccessKey));
    klingFailed = await harness.runGeneration(liveKey, { type: 'VIDEO', provider: 'kling', input: { text: 'an echoing vendor' }, options: { duration: 5 } });
    runway.script([{ status: 'FAILED', failure: echo(runwayKey), failureCode: 'ASSET.INVALID' }]);
    taskFailed = await harness.runGeneration(liveKey, { type: 'IMAGE', provider: 'runway', input: { text: 'a failing task' } });
  });
  afterAll(async () => {
    await harness.close();
    await runway.close();
    await kling.close();
  });

  it('keeps the key and the internal host out of the GraphQL answer', async () => {
    const answer = await harness.graphql({ key: liveKey, query: generationQuery.replace('ID', failed.id) });
    expect(answer.body.data.generation.error.code).toBe('INVALID_INPUT');
    expect(leaks(JSON.stringify(answer.body), runwayKey)).toEqual([]);
  });

  it('keeps the key and the internal host out of the REST answer', async () => {
    const answer = await harness.app.inject({ method: 'GET', url: `/v1/generations/${failed.id}`, headers: { authorization: `Bearer ${liveKey}` } });
    expect(answer.statusCode).toBe(200);
    expect(leaks(answer.body, runwayKey)).toEqual([]);
  });

  it('keeps the key and the internal host out of the Runway-compatible task view', async () => {
    const answer = await harness.app.inject({ method: 'GET', url: `/runway/v1/tasks/${failed.id}`, headers: { authorization: `Bearer ${liveKey}`, 'x-runway-version': '2024-11-06' } });
    expect(answer.statusCode).toBe(200);
    expect(leaks(answer.body, runwayKey)).toEqual([]);
  });

  it('keeps the vendor code', () => {
    expect(failed.error?.message).toContain('INPUT_VALIDATION');
  });

  it('drops the stack the vendor sent', () => {
    expect(failed.error?.message).not.toContain('submit.js');
  });

  it('keeps a Kling business-code answer free of the access key and the host, keeping its code', () => {
    expect(klingFailed.error?.code).toBe('INVALID_INPUT');
    expect(leaks(klingFailed.error?.message ?? '', klingAccessKey)).toEqual([]);
    expect(klingFailed.error?.message).toContain('1201');
  });

  it("keeps a failed task's reason free of the key and the host, keeping its failure code", () => {
    expect(taskFailed.error?.code).toBe('INVALID_INPUT');
    expect(leaks(taskFailed.error?.message ?? '', runwayKey)).toEqual([]);
    expect(taskFailed.error?.message).toContain('ASSET.INVALID');
  });

  it('keeps the keys and the internal host out of the log', () => {
    const written = log.text();
    expect(written).toContain(failed.id);
    expect([...leaks(written, runwayKey), ...leaks(written, klingAccessKey)]).toEqual([]);
  });

  it("keeps the key and the internal host out of a Runway resource call's error", async () => {
    runway.answerNext({ method: 'POST', path: /\/v1\/documents$/, status: 400, body: { error: echo(runwayKey), code: 'INPUT_VALIDATION' } });
    const answer = await harness.app.inject({
      method: 'POST',
      url: '/runway/v1/documents',
      headers: { authorization: `Bearer ${liveKey}`, 'x-runway-version': '2024-11-06' },
      payload: { name: 'Notes', content: 'Some notes.' },
    });
    expect(answer.statusCode).toBe(400);
    expect(leaks(answer.body, runwayKey)).toEqual([]);
  });

  it("redacts an upstream's body and credential headers a log line carries", () => {
    const captured = captureLog();
    createLogger('info', captured.stream).warn({ upstream: { headers: { 'xi-api-key': runwayKey }, body: { error: echo(runwayKey) } } }, 'upstream answer');
    expect(captured.text()).toContain('upstream answer');
    expect(leaks(captured.text(), runwayKey)).toEqual([]);
  });

  it('replaces credential-shaped text: Bearer and Key tokens, sk- keys, key= parameters and long random tokens', () => {
    const text = 'Bearer abc.def Key fal_9f8e7d sk-proj-AbC123dEf456 api_key=hunter2 token Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNb';
    expect(['abc.def', 'fal_9f8e7d', 'sk-proj-AbC123dEf456', 'hunter2', 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNb'].filter((secret) => sanitizeUpstreamText(text).includes(secret))).toEqual([]);
  });

  it('replaces URLs, host names and IP addresses', () => {
    const text = 'see https://status.vendor.example/x, host db-3.cluster.local, 172.16.4.2:6379 and [fd00::1]';
    expect(['status.vendor.example', 'db-3.cluster.local', '172.16.4.2', 'fd00::1'].filter((secret) => sanitizeUpstreamText(text).includes(secret))).toEqual([]);
  });

  it('keeps field paths, model names and vendor codes', () => {
    const text = 'SAFETY.INPUT.TEXT: input.image must be one of gen4.5, veo3.1 (options.duration)';
    expect(sanitizeUpstreamText(text)).toBe(text);
  });

  it('bounds the length of what it keeps', () => {
    expect(sanitizeUpstreamText('word '.repeat(500)).length).toBeLessThanOrEqual(200);
  });

  it('replaces a configured secret wherever it appears', () => {
    expect(sanitizeUpstreamText(`the key q7 ${runwayKey} was refused`, [runwayKey])).not.toContain(runwayKey);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { compiledEntryPoint, exited, repositoryRoot } from '../support/processes.ts';
import { waitUntil } from '../support/wait-until.ts';

interface Gateway {
  child: ChildProcess;
  baseUrl: string;
  testKey: string;
  output(): string;
  /** What a terminal's Ctrl-C does: SIGINT to every process of the group (npm's, ours, and whatever we started). */
  interruptGroup(): void;
}

const running: Gateway[] = [];

/** `npm start` as a terminal runs it: dist/main.js leading a process group of its own, with its private Redis. */
async function startGateway(settings: Record<string, string>): Promise<Gateway> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'genway-shutdown-'));
  const port = await freePort();
  const child = spawn(process.execPath, [compiledEntryPoint('src/main.ts')], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATA_DIR: dataDir, SANDBOX_LATENCY_MS: '200', LOG_LEVEL: 'info', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  child.once('exit', () => void rm(dataDir, { recursive: true, force: true }));
  const gateway: Gateway = { child, baseUrl: `http://127.0.0.1:${port}`, testKey: '', output: () => output, interruptGroup: () => process.kill(-child.pid!, 'SIGINT') };
  running.push(gateway);
  await waitUntil(async () => /gw_test_\w+/.test(output), 'the dev test key being printed', 30_000);
  gateway.testKey = /gw_test_\w+/.exec(output)![0];
  return gateway;
}

/** The JSON log lines with an `event` field, in order. */
function logEvents(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => typeof line.event === 'string');
}

const hasEvent = (gateway: Gateway, event: string) => logEvents(gateway.output()).some((line) => line.event === event);

/**
 * A `generate` whose headers the server has (it answered 100 Continue) and whose body is still to come: a request in
 * flight for as long as the test wants.
 */
async function requestInFlight(gateway: Gateway) {
  const body = JSON.stringify({ query: 'mutation { generate(input: { type: IMAGE, provider: "sandbox", input: { text: "in flight" } }) { id status } }' });
  const request = http.request(`${gateway.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${gateway.testKey}`, expect: '100-continue' },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.once('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.once('error', reject);
    });
    request.once('error', reject);
  });
  answer.catch(() => {});
  await new Promise<void>((resolve, reject) => {
    request.once('continue', resolve);
    request.once('error', reject);
  });
  return { finish: () => request.end(body), answer };
}

afterEach(async () => {
  for (const gateway of running.splice(0)) {
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) continue;
    // SIGTERM, not SIGKILL: the gateway stops its private Redis (in a process group of its own) on the way out.
    gateway.child.kill('SIGTERM');
    await exited(gateway.child);
  }
});

describe('hardening #9: shutdown', () => {
  it('drains gracefully when one Ctrl-C arrives twice within a few ms (the process group, then npm forwarding it)', async () => {
    const gateway = await startGateway({ SHUTDOWN_TIMEOUT_MS: '30000' });
    const inFlight = await requestInFlight(gateway);
    gateway.interruptGroup();
    await sleep(2);
    gateway.child.kill('SIGINT');
    await waitUntil(async () => hasEvent(gateway, 'shutdown.started'), 'the shutdown starting');
    inFlight.finish();
    const answer = await inFlight.answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ data: { generate: { status: 'QUEUED' } } });
    expect(await exited(gateway.child)).toBe(0);
    expect(hasEvent(gateway, 'shutdown.finished')).toBe(true);
  });

  it('exits at once on a second Ctrl-C that comes after the first one', async () => {
    const gateway = await startGateway({ SHUTDOWN_TIMEOUT_MS: '60000' });
    await requestInFlight(gateway);
    gateway.interruptGroup();
    await waitUntil(async () => hasEvent(gateway, 'shutdown.started'), 'the shutdown starting');
    await sleep(1500); // past the window in which a repeated signal is the same Ctrl-C
    gateway.interruptGroup();
    expect(await exited(gateway.child)).toBe(130);
    expect(hasEvent(gateway, 'shutdown.forced')).toBe(true);
  });

  it('ends a shutdown held up by a stuck job at SHUTDOWN_TIMEOUT_MS, saying so in its log', async () => {
    let webhookArrived = false;
    // Answers the headers and one byte of body, then nothing: the delivery job stays active until its own long timeout.
    const receiver = http.createServer((_request, response) => {
      webhookArrived = true;
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('.');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const webhookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
      const timeLimitMs = 1500;
      const gateway = await startGateway({ SHUTDOWN_TIMEOUT_MS: String(timeLimitMs), ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '120000' });
      const created = await fetch(`${gateway.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.testKey}` },
        body: JSON.stringify({ query: `mutation { generate(input: { type: IMAGE, provider: "sandbox", input: { text: "stuck webhook" }, webhookUrl: "${webhookUrl}" }) { id } }` }),
      });
      expect(created.status).toBe(200);
      await waitUntil(async () => webhookArrived, 'the webhook reaching the stuck receiver');
      gateway.child.kill('SIGTERM');
      // A hang guard only (three times the limit): the contract is the exit and its log line, not the clock.
      const hangGuard = sleep(3 * timeLimitMs + 5000).then(() => 'still running');
      expect(await Promise.race([exited(gateway.child), hangGuard])).toBe(1);
      expect(logEvents(gateway.output()).find((line) => line.event === 'shutdown.deadline')).toMatchObject({ timeLimitMs });
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});

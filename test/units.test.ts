import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors/gateway-error.ts';
import { nextPollDelay } from '../src/generations/step-delays.ts';
import { createLogger } from '../src/logging/logger.ts';
import { callUpstream } from '../src/providers/shared/upstream-http.ts';
import { downloadOutput } from '../src/storage/download-output.ts';
import { createErrorFormatter } from '../src/surfaces/graphql/error-formatting.ts';
import { expandBareSelections } from '../src/surfaces/graphql/expand-bare-selections.ts';
import { buildGraphQLSchema } from '../src/surfaces/graphql/graphql-schema.ts';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', destination), lines };
}

describe('logs', () => {
  it('never contain API keys, webhook secrets or auth headers', () => {
    const { log, lines } = capturingLogger();
    log.info(
      { req: { headers: { authorization: 'Bearer gw_live_secret1', 'x-api-key': 'gw_test_secret2' } }, liveKey: 'gw_live_secret3', account: { webhookSecret: 'whsec_secret4', apiKey: 'k_secret5' } },
      'request',
    );
    const written = lines.join('');
    for (const secret of ['secret1', 'secret2', 'secret3', 'secret4', 'secret5']) expect(written).not.toContain(secret);
    expect(written).toContain('[redacted]');
  });
});

describe('GraphQL error formatting', () => {
  const { log, lines } = capturingLogger();
  const format = createErrorFormatter(log);

  it('masks unexpected errors as INTERNAL without their message, and logs them', () => {
    const formatted = format({ message: 'connect ECONNREFUSED 10.0.0.3:6379 at Socket.<anonymous>' }, new Error('connect ECONNREFUSED 10.0.0.3:6379'));
    expect(formatted).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL' } });
    expect(lines.join('')).toContain('ECONNREFUSED');
  });

  it('answers SERVICE_UNAVAILABLE, retryable, when Redis refused a command because it is not connected', () => {
    const formatted = format({ message: 'x' }, new Error("Stream isn't writeable and enableOfflineQueue options is false"));
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
  });

  it("keeps a gateway error's code and details", () => {
    const error = new GatewayError('INSUFFICIENT_CREDITS', 'Insufficient credits for this operation', { details: { creditsRequired: 100, creditsAvailable: 50 } });
    expect(format({ message: error.message, path: ['generate'] }, error)).toEqual({
      message: error.message,
      path: ['generate'],
      extensions: { code: 'INSUFFICIENT_CREDITS', creditsRequired: 100, creditsAvailable: 50 },
    });
  });
});

describe('bare selections of leaf-only objects', () => {
  const schema = buildGraphQLSchema();

  it('expand to every field, and leave sub-selections and other fields alone', () => {
    const expanded = print(expandBareSelections(schema, parse('{ generation(id: "x") { id metadata error { code } outputs } }')));
    expect(expanded).toContain('metadata {\n      width\n      height\n      duration\n      format\n      resolution\n      sizeBytes\n      contentType\n    }');
    expect(expanded).toContain('error {\n      code\n    }');
    expect(expanded).toContain('outputs\n');
  });

  it('do not expand object types that have object fields', () => {
    expect(print(expandBareSelections(schema, parse('{ generations }')))).toBe('{\n  generations\n}');
  });
});

describe('poll cadence', () => {
  const runwayLike = { initialDelayMs: 5000, intervalMs: 5000, maxIntervalMs: 30_000 };

  it("polls at the provider's interval for ten polls, then backs off to its ceiling", () => {
    expect(nextPollDelay(runwayLike, 0)).toBe(5000);
    expect(nextPollDelay(runwayLike, 49_000)).toBe(5000);
    expect(nextPollDelay(runwayLike, 50_000)).toBe(10_000);
    expect(nextPollDelay(runwayLike, 100_000)).toBe(20_000);
    expect(nextPollDelay(runwayLike, 10 * 60_000)).toBe(30_000);
  });

  it('asks a task about which the provider says nothing at most ceil(60 / 5) + 1 times in 60 seconds', () => {
    let waited = 0;
    let polls = 0;
    while (waited < 60_000) {
      waited += nextPollDelay(runwayLike, waited);
      polls++;
    }
    expect(polls).toBeLessThanOrEqual(13);
  });

  it('asks a task quoted at 70 seconds twice before 60 seconds (halfway, then halfway through the rest), then at the usual cadence once it is late', () => {
    let waited = 0;
    const at: number[] = [];
    while (waited < 60_000) {
      waited += nextPollDelay(runwayLike, waited, 70_000);
      at.push(waited);
    }
    expect(at).toEqual([30_000, 50_000, 60_000]);
    expect(nextPollDelay(runwayLike, 75_000, 70_000)).toBe(nextPollDelay(runwayLike, 75_000));
  });
});

describe('downloading an upstream output', () => {
  const served = randomBytes(3 * 1024 * 1024);
  let server: Server;
  let url: string;
  let directory: string;
  beforeAll(async () => {
    // Sent in 64 KB writes, as a real upstream's body arrives in chunks.
    server = createServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'video/mp4' });
      for (let offset = 0; offset < served.length; offset += 65_536) response.write(served.subarray(offset, offset + 65_536));
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/output.mp4`;
    directory = await mkdtemp(path.join(os.tmpdir(), 'genway-download-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });

  it('answers a file within the in-memory limit as its bytes, writing nothing to disk', async () => {
    const spillPath = path.join(directory, 'small.partial');
    const downloaded = await downloadOutput(url, { maxBytes: served.length }, spillPath, served.length);
    expect(Buffer.from((downloaded as { bytes: Uint8Array }).bytes).equals(served)).toBe(true);
    expect(existsSync(spillPath)).toBe(false);
  });

  it('streams a file over the in-memory limit to the spill path, every byte in order', async () => {
    const spillPath = path.join(directory, 'large.partial');
    expect(await downloadOutput(url, { maxBytes: served.length }, spillPath, 100_000)).toEqual({ file: spillPath });
    expect((await readFile(spillPath)).equals(served)).toBe(true);
  });

  it('fails a file that passes MAX_OUTPUT_BYTES after it began spilling, leaving no part of it on disk', async () => {
    const spillPath = path.join(directory, 'too-large.partial');
    await expect(downloadOutput(url, { maxBytes: 2 * 1024 * 1024 }, spillPath, 100_000)).rejects.toMatchObject({ code: 'GENERATION_FAILED' });
    expect(existsSync(spillPath)).toBe(false);
  });
});

describe('calling an upstream', () => {
  it('abandons one that does not answer within the timeout (without one the case would hang): PROVIDER_UNAVAILABLE, retryable', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/tasks/1`;
      await expect(callUpstream({ method: 'GET', url, headers: {}, timeoutMs: 200 })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

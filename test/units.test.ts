import { Writable } from 'node:stream';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors/gateway-error.ts';
import { createErrorFormatter } from '../src/graphql/error-formatting.ts';
import { expandBareSelections } from '../src/graphql/expand-bare-selections.ts';
import { buildGraphQLSchema } from '../src/graphql/graphql-schema.ts';
import { nextPollDelay } from '../src/jobs/polling.ts';
import { createLogger } from '../src/logging/logger.ts';

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

import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { asGatewayError, circuitOpenFailure, failureOf, isFixable } from '../../src/generations/route-failures.ts';

describe('isFixable: failures another route could fix', () => {
  it.each([
    ['PROVIDER_UNAVAILABLE', true, true],
    ['PROVIDER_UNAVAILABLE', false, true],
    ['GENERATION_FAILED', true, true],
    ['GENERATION_FAILED', false, false],
    ['CONTENT_MODERATION', false, false],
    ['INVALID_INPUT', false, false],
    ['INSUFFICIENT_CREDITS', false, false],
    ['INTERNAL', true, false],
  ] as const)('%s (retryable: %s) → %s', (code, retryable, fixable) => {
    expect(isFixable({ code, retryable })).toBe(fixable);
  });

  it('counts a route skipped for its open circuit as fixable, so the generation moves on', () => {
    expect(isFixable(circuitOpenFailure({ provider: 'veo', route: 'gemini' }))).toBe(true);
  });
});

describe('failureOf: a step error as the generation records it', () => {
  it("keeps the error's code, retryability and the input field it names", () => {
    const error = new GatewayError('INVALID_INPUT', 'input.image: too large', { details: { field: 'input.image' } });
    expect(failureOf(error)).toEqual({ code: 'INVALID_INPUT', message: error.message, retryable: false, field: 'input.image' });
  });

  it('passes every code through as thrown, a retryable one staying retryable', () => {
    const error = new GatewayError('SERVICE_UNAVAILABLE', 'store down', { retryable: true });
    expect(failureOf(error)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(failureOf(error)).not.toHaveProperty('field');
  });

  it('records no field when the detail is not a field name', () => {
    expect(failureOf(new GatewayError('GENERATION_FAILED', 'x', { details: { field: 3 } }))).not.toHaveProperty('field');
  });
});

describe('asGatewayError', () => {
  it('keeps a GatewayError as it is', () => {
    const error = new GatewayError('CONTENT_MODERATION', 'no');
    expect(asGatewayError(error)).toBe(error);
  });

  it('makes anything else a retryable INTERNAL error that keeps its cause', () => {
    const cause = new TypeError('x is undefined');
    expect(asGatewayError(cause)).toMatchObject({ code: 'INTERNAL', retryable: true, cause });
  });
});

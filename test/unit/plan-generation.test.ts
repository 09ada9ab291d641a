import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateRequestSchema } from '../../src/generations/generate-request.ts';
import { fallbackPlans, planGeneration } from '../../src/generations/plan-generation.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';
import { defineProvider, defineRoute, type ProviderDefinition } from '../../src/providers/spec.ts';
import { sandboxDefinition } from './runner-fakes.ts';

const idle = { operationSchema: z.object({}), submit: async () => ({}), poll: async () => ({ status: 'pending' as const, started: false }) };
const route = (id: string) => defineRoute({ id, settings: {}, connect: () => idle });

/** A video provider with a known price (US$), length and quality, on the given routes (400 credits per US$). */
function provider(
  id: string,
  { usd, seconds, quality, routes = [id], options = z.looseObject({}) }: { usd: number; seconds: number; quality: number; routes?: string[]; options?: z.ZodType },
): ProviderDefinition {
  return defineProvider({
    ...sandboxDefinition,
    id,
    name: id,
    types: ['VIDEO'],
    qualityScore: quality,
    optionsSchema: options as z.ZodType<Record<string, unknown>>,
    quote: () => ({ usd, estimatedSeconds: seconds, model: `${id}-1` }),
    routes: routes.map(route),
  });
}

const registry = new ProviderRegistry({
  providers: [
    sandboxDefinition,
    provider('sharp', { usd: 1, seconds: 60, quality: 9, routes: ['sharp-own', 'sharp-host'] }),
    provider('cheap', { usd: 0.1, seconds: 40, quality: 5 }),
    provider('quick', { usd: 0.5, seconds: 10, quality: 6 }),
    provider('strict', { usd: 0.2, seconds: 20, quality: 7, options: z.strictObject({}) }),
  ],
  hosts: [],
  settings: {},
  creditsPerUsd: 400,
});

const request = (fields: Record<string, unknown> = {}) => generateRequestSchema.parse({ type: 'VIDEO', input: { text: 'a koi pond' }, ...fields });
const chosen = (priority: string) => planGeneration(registry, request({ priority }), 'live').definition.id;

describe('planGeneration without a named provider, for live keys', () => {
  it('QUALITY picks the best quality score', () => {
    expect(chosen('QUALITY')).toBe('sharp');
  });

  it('COST picks the fewest credits', () => {
    expect(chosen('COST')).toBe('cheap');
  });

  it('SPEED picks the shortest estimate', () => {
    expect(chosen('SPEED')).toBe('quick');
  });

  it('BALANCED weighs quality against price and time: neither the best, the cheapest nor the fastest alone', () => {
    expect(chosen('BALANCED')).toBe('strict');
  });

  it('skips a provider that refuses the options', () => {
    expect(planGeneration(registry, request({ priority: 'QUALITY', options: { duration: 5 } }), 'live').definition.id).toBe('sharp');
    expect(planGeneration(registry, request({ priority: 'COST', options: { duration: 5 } }), 'live').definition.id).toBe('cheap');
  });
});

describe('planGeneration with a named provider', () => {
  it("runs a live request on the provider's first route and prices it in credits", () => {
    expect(planGeneration(registry, request({ provider: 'sharp' }), 'live')).toMatchObject({ route: 'sharp-own', credits: 400, quote: { model: 'sharp-1' } });
  });

  it("runs a test request on the sandbox at the named provider's price", () => {
    expect(planGeneration(registry, request({ provider: 'cheap' }), 'test')).toMatchObject({ route: 'sandbox', credits: 40 });
  });

  it('refuses an unknown provider as INVALID_INPUT on `provider`', () => {
    expect(() => planGeneration(registry, request({ provider: 'nobody' }), 'live')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'provider' } }));
  });

  it('refuses a type the provider does not make as INVALID_INPUT on `type`', () => {
    expect(() => planGeneration(registry, request({ provider: 'sharp', type: 'AUDIO' }), 'live')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'type' } }));
  });
});

describe('fallbackPlans after a route failed', () => {
  const failedOn = (provider: string, ...routes: string[]) => new Set(routes.map((id) => `${provider}/${id}`));
  const next = (fallback: Parameters<typeof fallbackPlans>[3], tried: Set<string>, provider = 'sharp', mode: 'live' | 'test' = 'live') =>
    fallbackPlans(registry, { ...request({ priority: 'COST' }), provider }, mode, fallback, tried).map((plan) => `${plan.definition.id}/${plan.route}`);

  it("SAME_MODEL offers the provider's routes not yet tried", () => {
    expect(next('SAME_MODEL', failedOn('sharp', 'sharp-own'))).toEqual(['sharp/sharp-host']);
  });

  it('SAME_MODEL offers nothing once every route was tried', () => {
    expect(next('SAME_MODEL', failedOn('sharp', 'sharp-own', 'sharp-host'))).toEqual([]);
  });

  it('NONE offers nothing', () => {
    expect(next('NONE', failedOn('sharp', 'sharp-own'))).toEqual([]);
  });

  it('a list offers the same model first, then the listed providers in their order', () => {
    expect(next(['quick', 'cheap'], failedOn('sharp', 'sharp-own'))).toEqual(['sharp/sharp-host', 'quick/quick', 'cheap/cheap']);
  });

  it('ANY offers the same model first, then every other provider that accepts the request, ranked by its priority, never the sandbox provider', () => {
    expect(next('ANY', failedOn('sharp', 'sharp-own'))).toEqual(['sharp/sharp-host', 'cheap/cheap', 'strict/strict', 'quick/quick']);
  });

  it('for a test key, goes to other providers on the sandbox, never back to one already tried there', () => {
    expect(next('ANY', failedOn('cheap', 'sandbox'), 'cheap', 'test')).toEqual(['strict/sandbox', 'quick/sandbox', 'sharp/sandbox']);
  });
});

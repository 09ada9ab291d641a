import { describe, expect, it } from 'vitest';
import { slotLeaseMs } from '../../src/billing/concurrency-slots.ts';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { nextPollDelay } from '../../src/generations/step-delays.ts';
import { pngBytes, runnerHarness, temporaryOutage } from './runner-fakes.ts';

const steadyPolling = { initialDelayMs: 0, intervalMs: 100, maxIntervalMs: 1000 };

describe('GenerationRunner.step on a new generation', () => {
  it('holds its slot, submits, and polls at once on a route without an initial delay', async () => {
    const harness = runnerHarness();
    const { id } = harness.create();
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: nextPollDelay(steadyPolling, 0) });
    expect(harness.calls.acquired).toEqual([id]);
    expect(harness.scripts('alpha-a').submitted).toHaveLength(1);
    expect(harness.generations.get(id)).toMatchObject({ status: 'PROCESSING', operation: { task: 'task_1' } });
  });

  it("submits and waits the route's initial delay before its first poll, taking the upstream's slot too when the route limits tasks at once", async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ provider: 'beta', route: 'beta' });
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 500 });
    expect(harness.calls.upstreamAcquired).toEqual(['beta']);
    expect(harness.generations.get(id)).toMatchObject({ status: 'QUEUED', operation: { task: 'task_1' } });
  });

  it('waits for a free slot without submitting anything', async () => {
    const harness = runnerHarness({ accountSlot: false });
    const { id } = harness.create();
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 500 });
    expect(harness.scripts('alpha-a').submitted).toEqual([]);
  });

  it('builds the request from the record: links uploads for a route that cannot take them, and counts the routes tried before', async () => {
    const harness = runnerHarness();
    const attempts = [{ provider: 'alpha', route: 'alpha-b', code: 'PROVIDER_UNAVAILABLE' as const, message: 'down', at: 1 }];
    const { id } = harness.create({ input: { text: 'x', image: 'runway://uploads/upl_abcdefgh1234' }, model: null, attempts });
    await harness.step(id);
    expect(harness.scripts('alpha-a').submitted[0]).toMatchObject({ generationId: id, model: '', attempt: 1, input: { image: 'http://127.0.0.1:4000/uploads/linked' } });
  });

  it('cancels the task it just submitted when the generation was cancelled meanwhile', async () => {
    const harness = runnerHarness();
    const generation = harness.create();
    harness.generations.records.get(generation.id)!.status = 'CANCELLED';
    expect(await harness.runner.submit(generation, harness.registry.connectedRoute('alpha', 'alpha-a'))).toEqual({ next: 'done' });
    expect(harness.scripts('alpha-a').cancelled).toEqual([{ task: 'task_1' }]);
  });
});

describe('GenerationRunner.step on a submitted generation', () => {
  it('records progress and asks again at the cadence, without renewing a slot lease that is still fresh', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'PROCESSING', operation: { task: 't' }, slotLeaseUntil: harness.now() + slotLeaseMs });
    harness.scripts('alpha-a').polls.push({ status: 'pending', started: true, progress: 0.4 });
    harness.advance(60_000);
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: nextPollDelay(steadyPolling, 60_000) });
    expect(harness.generations.get(id).progress).toBe(0.4);
    expect(harness.calls.acquired).toEqual([]);
  });

  it("completes: stores each output, settles at the upstream's reported cost, counts a success and queues the completed webhook", async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'PROCESSING', operation: { task: 't' } });
    harness.scripts('alpha-a').polls.push({ status: 'completed', outputs: [{ bytes: pngBytes, contentType: 'image/png' }], costUsd: 0.005 });
    expect(await harness.step(id)).toEqual({ next: 'done' });
    expect(harness.generations.get(id)).toMatchObject({ status: 'COMPLETED', outputs: [`http://127.0.0.1:4000/files/${id}/0.png`], metadata: { format: 'png', width: 4, height: 2 } });
    expect(harness.generations.settlements).toEqual([{ id, settlement: 'charge', finalCost: 2 }]);
    expect(harness.calls.circuitSuccesses).toEqual(['alpha/alpha-a']);
    expect(harness.calls.webhooks).toEqual([{ generationId: id, event: 'generation.completed' }]);
  });

  it('submits again after an upstream internal error, at most twice, then fails the route', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'PROCESSING', operation: { task: 't' }, resubmissions: 2, fallback: 'NONE' });
    harness.scripts('alpha-a').polls.push({ status: 'failed', code: 'GENERATION_FAILED', message: 'INTERNAL', retryable: true, resubmit: true });
    expect(await harness.step(id)).toEqual({ next: 'done' });
    expect(harness.generations.get(id)).toMatchObject({ status: 'FAILED', error: { code: 'GENERATION_FAILED' } });
  });

  it('clears the operation for a resubmission while it has some left', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'PROCESSING', operation: { task: 't' } });
    harness.scripts('alpha-a').polls.push({ status: 'failed', code: 'GENERATION_FAILED', message: 'INTERNAL', retryable: true, resubmit: true });
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 0 });
    expect(harness.generations.get(id)).toMatchObject({ operation: null, resubmissions: 1 });
  });

  it('keeps the charge for moderated input on a route whose upstream keeps it', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ provider: 'beta', route: 'beta', status: 'PROCESSING', operation: { task: 't' } });
    harness.scripts('beta').polls.push({ status: 'failed', code: 'CONTENT_MODERATION', message: 'SAFETY.INPUT', retryable: false });
    expect(await harness.step(id)).toEqual({ next: 'done' });
    expect(harness.generations.get(id).error?.code).toBe('CONTENT_MODERATION');
    expect(harness.generations.settlements).toEqual([{ id, settlement: 'charge', finalCost: 4 }]);
  });
});

describe('GenerationRunner: retries and fallback', () => {
  it('retries a temporary failure with backoff while the route has budget left', async () => {
    const harness = runnerHarness({ attemptsPerRoute: 3 });
    const { id } = harness.create();
    harness.scripts('alpha-a').submits.push(temporaryOutage());
    const outcome = await harness.step(id);
    expect(outcome.next).toBe('delay');
    expect(harness.generations.get(id)).toMatchObject({ status: 'QUEUED', routeFailures: 1, attempts: [] });
  });

  it("starts the fallback route with that route's own budget: its first temporary 5xx is retried, not fatal", async () => {
    const harness = runnerHarness({ attemptsPerRoute: 2 });
    const { id } = harness.create();
    harness.scripts('alpha-a').submits.push(temporaryOutage(), temporaryOutage());
    harness.scripts('alpha-b').submits.push(temporaryOutage());
    expect((await harness.step(id)).next).toBe('delay');
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 0 });
    expect(harness.generations.get(id)).toMatchObject({ route: 'alpha-b', routeFailures: 0, attempts: [{ route: 'alpha-a', code: 'PROVIDER_UNAVAILABLE' }] });
    const onNewRoute = await harness.step(id);
    expect(onNewRoute.next).toBe('delay');
    expect(harness.generations.get(id)).toMatchObject({ status: 'QUEUED', route: 'alpha-b', routeFailures: 1 });
    await harness.step(id);
    expect(harness.generations.get(id)).toMatchObject({ status: 'PROCESSING', route: 'alpha-b', operation: { task: 'task_1' } });
  });

  it("counts a spent route against its circuit and frees its upstream's line for the next in it", async () => {
    const harness = runnerHarness({ attemptsPerRoute: 1 });
    const { id } = harness.create({ provider: 'beta', route: 'beta', fallback: ['alpha'] });
    harness.waiting.upstream.push('gen_waiting');
    harness.scripts('beta').submits.push(temporaryOutage());
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 0 });
    expect(harness.calls.circuitFailures).toEqual(['beta/beta']);
    expect(harness.calls.woken).toEqual(['gen_waiting']);
    expect(harness.generations.get(id)).toMatchObject({ provider: 'alpha', route: 'alpha-a' });
  });

  it('skips a route whose circuit is open, without counting that against the circuit', async () => {
    const harness = runnerHarness();
    harness.admission.set('alpha/alpha-a', 'open');
    const { id } = harness.create();
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 0 });
    expect(harness.calls.circuitFailures).toEqual([]);
    expect(harness.generations.get(id)).toMatchObject({ route: 'alpha-b', attempts: [{ route: 'alpha-a', code: 'PROVIDER_UNAVAILABLE' }] });
    expect(harness.scripts('alpha-a').submitted).toEqual([]);
  });

  it('fails on its route, and fails the job, when the error is not temporary: the field it names is kept and nothing falls back', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ fallback: 'ANY' });
    harness.scripts('alpha-a').submits.push(new GatewayError('INVALID_INPUT', 'input.image: too large', { details: { field: 'input.image' } }));
    expect(await harness.step(id)).toMatchObject({ next: 'failed', error: { code: 'INVALID_INPUT' } });
    expect(harness.generations.get(id)).toMatchObject({ status: 'FAILED', route: 'alpha-a', error: { code: 'INVALID_INPUT', field: 'input.image' } });
    expect(harness.generations.settlements).toEqual([{ id, settlement: 'refund', finalCost: 4 }]);
    expect(harness.calls.webhooks).toEqual([{ generationId: id, event: 'generation.failed' }]);
  });

  it('ends FAILED with INSUFFICIENT_CREDITS when the only fallback is dearer than the account can cover', async () => {
    const harness = runnerHarness();
    harness.generations.balance = 10;
    const { id } = harness.create({ provider: 'beta', route: 'beta', fallback: ['pricey'], status: 'PROCESSING', operation: { task: 't' } });
    harness.scripts('beta').polls.push({ status: 'failed', code: 'PROVIDER_UNAVAILABLE', message: 'gone', retryable: true });
    expect(await harness.step(id)).toEqual({ next: 'done' });
    expect(harness.generations.get(id)).toMatchObject({ status: 'FAILED', route: 'beta', error: { code: 'INSUFFICIENT_CREDITS' } });
    expect(harness.calls.webhooks).toEqual([{ generationId: id, event: 'generation.failed' }]);
  });

  it('an unexpected throw is an internal error, retried like a temporary one', async () => {
    const harness = runnerHarness();
    const { id } = harness.create();
    harness.scripts('alpha-a').submits.push(new Error('socket hang up'));
    expect((await harness.step(id)).next).toBe('delay');
    expect(harness.generations.get(id)).toMatchObject({ status: 'QUEUED', routeFailures: 1 });
  });

  it('an operation its route cannot read fails the generation INTERNAL instead of being cast', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'PROCESSING', operation: { unreadable: true } });
    expect(await harness.step(id)).toMatchObject({ next: 'failed', error: { code: 'INTERNAL' } });
    expect(harness.generations.get(id).error?.code).toBe('INTERNAL');
  });
});

describe('GenerationRunner.step on a generation that has ended', () => {
  it("cancels a cancelled generation's upstream task and announces its end again, polling nothing", async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'CANCELLED', operation: { task: 't' } });
    expect(await harness.step(id)).toEqual({ next: 'done' });
    expect(harness.scripts('alpha-a').cancelled).toEqual([{ task: 't' }]);
    expect(harness.calls.webhooks).toEqual([{ generationId: id, event: 'generation.cancelled' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { runnerHarness } from './runner-fakes.ts';

describe('GenerationEndings.ended', () => {
  it("completes with one transition, wakes the first in its account's line and its upstream's, and queues the completed webhook", async () => {
    const harness = runnerHarness();
    const generation = harness.create({ provider: 'beta', route: 'beta', status: 'PROCESSING' });
    harness.waiting.account.push('gen_next_of_account');
    harness.waiting.upstream.push('gen_next_of_route');
    expect(await harness.endings.ended(generation, { status: 'COMPLETED', result: { outputs: ['u'], metadata: null, finalCost: 3 } })).toBe(true);
    expect(harness.generations.get(generation.id)).toMatchObject({ status: 'COMPLETED', outputs: ['u'] });
    expect(harness.calls.woken.sort()).toEqual(['gen_next_of_account', 'gen_next_of_route']);
    expect(harness.calls.webhooks).toEqual([{ generationId: generation.id, event: 'generation.completed' }]);
  });

  it('queues the cancelled webhook for a cancel, refunding a generation the upstream never had', async () => {
    const harness = runnerHarness();
    const generation = harness.create();
    expect(await harness.endings.ended(generation, { status: 'CANCELLED' })).toBe(true);
    expect(harness.generations.settlements).toEqual([{ id: generation.id, settlement: 'refund', finalCost: 4 }]);
    expect(harness.calls.webhooks).toEqual([{ generationId: generation.id, event: 'generation.cancelled' }]);
  });

  it('does nothing for a generation that had ended already: no second settlement, wake or webhook', async () => {
    const harness = runnerHarness();
    const generation = harness.create({ status: 'CANCELLED' });
    harness.waiting.account.push('gen_next');
    expect(await harness.endings.ended(generation, { status: 'FAILED', failure: { code: 'GENERATION_FAILED', message: 'late', retryable: false } })).toBe(false);
    expect(harness.generations.settlements).toEqual([]);
    expect(harness.calls.woken).toEqual([]);
    expect(harness.calls.webhooks).toEqual([]);
  });

  it('queues no webhook for a generation without a webhook URL, and still wakes the line', async () => {
    const harness = runnerHarness();
    const generation = harness.create({ webhookUrl: null });
    harness.waiting.account.push('gen_next');
    expect(await harness.endings.ended(generation, { status: 'FAILED', failure: { code: 'GENERATION_FAILED', message: 'no', retryable: false } })).toBe(true);
    expect(harness.calls.webhooks).toEqual([]);
    expect(harness.calls.woken).toEqual(['gen_next']);
  });

  it('keeps the charge of a failure the upstream bills', async () => {
    const harness = runnerHarness();
    const generation = harness.create();
    await harness.endings.ended(generation, { status: 'FAILED', failure: { code: 'CONTENT_MODERATION', message: 'SAFETY.INPUT', retryable: false }, charged: true });
    expect(harness.generations.settlements).toEqual([{ id: generation.id, settlement: 'charge', finalCost: 4 }]);
  });
});

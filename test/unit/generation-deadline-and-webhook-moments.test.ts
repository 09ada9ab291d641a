import { describe, expect, it } from 'vitest';
import { runnerHarness } from './runner-fakes.ts';

describe("GenerationRunner with a generation's deadline (Cancel-After)", () => {
  it('never waits past the deadline: the next step is due when it passes', async () => {
    const harness = runnerHarness();
    // Route beta waits 500 ms before its first poll.
    const { id } = harness.create({ provider: 'beta', route: 'beta', deadline: harness.now() + 200 });
    expect(await harness.step(id)).toEqual({ next: 'delay', ms: 200 });
  });

  it('cancels a generation whose deadline has passed, and its upstream task, and queues its cancelled webhook', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ deadline: harness.now() + 1000 });
    await harness.step(id);
    harness.advance(1000);
    expect(await harness.step(id)).toEqual({ next: 'done' });
    expect(harness.generations.get(id)).toMatchObject({ status: 'CANCELLED' });
    expect(harness.scripts('alpha-a').cancelled).toEqual([{ task: 'task_1' }]);
    expect(harness.calls.webhooks).toContainEqual({ generationId: id, event: 'generation.cancelled' });
  });
});

describe("GenerationEndings with a generation's webhook moments", () => {
  it('queues the started webhook when the upstream starts a generation that asked for it', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ webhookMoments: ['started', 'ended'] });
    await harness.step(id);
    expect(harness.calls.webhooks).toEqual([{ generationId: id, event: 'generation.started' }]);
  });

  it('queues no end webhook for a generation that asked only for its start', async () => {
    const harness = runnerHarness();
    const generation = harness.create({ webhookMoments: ['started'] });
    expect(await harness.endings.ended(generation, { status: 'CANCELLED' })).toBe(true);
    expect(harness.calls.webhooks).toEqual([]);
  });
});

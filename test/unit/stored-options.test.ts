import { describe, expect, it } from 'vitest';
import { runnerHarness } from './runner-fakes.ts';

/** The test providers take the sandbox's options, where `duration` is a number of seconds: a word is not one. */
const unreadableOptions = { duration: 'ten seconds' };

describe('GenerationRunner with stored options its provider’s schema no longer takes', () => {
  it('fails a queued generation INTERNAL, not retried, without submitting it', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ options: unreadableOptions });
    expect(await harness.step(id)).toMatchObject({ next: 'failed', error: { code: 'INTERNAL', retryable: false } });
    expect(harness.scripts('alpha-a').submitted).toEqual([]);
    expect(harness.generations.get(id)).toMatchObject({ status: 'FAILED', error: { code: 'INTERNAL' } });
  });

  it('fails a submitted generation INTERNAL without polling it', async () => {
    const harness = runnerHarness();
    const { id } = harness.create({ status: 'PROCESSING', operation: { task: 't' }, options: unreadableOptions });
    harness.scripts('alpha-a').polls.push({ status: 'pending', started: true, progress: 0.5 });
    expect(await harness.step(id)).toMatchObject({ next: 'failed', error: { code: 'INTERNAL' } });
    expect(harness.scripts('alpha-a').polls).toHaveLength(1);
  });
});

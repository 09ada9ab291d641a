import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Generation, type GenerationStatus, generationStatuses } from '../src/generations/generation.ts';
import { type TransitionName, transitionRules } from '../src/generations/generation-lifecycle.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

/** Every named transition, applied to a generation with (`operation`) or without an upstream operation. */
const apply: Record<TransitionName, (harness: TestGateway, generation: Generation) => Promise<boolean>> = {
  markSubmitted: ({ gateway }, generation) => gateway.lifecycle.markSubmitted(generation, { taskId: 'task_new' }),
  markStarted: ({ gateway }, generation) => gateway.lifecycle.markStarted(generation, 0.1),
  recordProgress: ({ gateway }, generation) => gateway.lifecycle.recordProgress(generation, 0.5),
  replaceOperation: ({ gateway }, generation) => gateway.lifecycle.replaceOperation(generation, { taskId: 'task_next' }),
  resubmit: ({ gateway }, generation) => gateway.lifecycle.resubmit(generation),
  fallBack: async ({ gateway }, generation) =>
    (await gateway.lifecycle.fallBack(
      generation,
      { provider: 'sandbox', route: 'sandbox', model: 'sandbox-1', options: {}, creditCost: 1, estimatedTime: 1 },
      { provider: 'sandbox', route: 'sandbox', code: 'PROVIDER_UNAVAILABLE', message: 'down', at: 1 },
    )) === 'made',
  complete: ({ gateway }, generation) => gateway.lifecycle.complete(generation, { outputs: ['http://gateway.test/files/x/0.png'], metadata: null, finalCost: 1 }),
  fail: ({ gateway }, generation) => gateway.lifecycle.fail(generation, { code: 'GENERATION_FAILED', message: 'no', retryable: false }),
  cancel: ({ gateway }, generation) => gateway.lifecycle.cancel(generation),
};

const refused = (Object.keys(transitionRules) as TransitionName[]).flatMap((name) =>
  generationStatuses.filter((status) => !(transitionRules[name].from as readonly GenerationStatus[]).includes(status)).map((status) => [name, status] as const),
);

describe('the generation lifecycle', () => {
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
    account = await harness.createAccount({ credits: 1000 });
  });
  afterAll(() => harness.close());

  /** A live generation (credits reserved) put in `status`, with or without an upstream operation. */
  async function generationIn(status: GenerationStatus, operation: boolean): Promise<Generation> {
    const created = await harness.graphql({ key: account.liveKey, query: 'mutation { generate(input: { type: IMAGE, provider: "sandbox", input: { text: "x" } }) { id } }' });
    const id = created.body.data.generate.id as string;
    await harness.gateway.redis.hset(harness.gateway.keys.generation(id), { status, operation: JSON.stringify(operation ? { taskId: 'task_1' } : null) });
    return (await harness.gateway.repository.get(id))!;
  }

  it.each(refused)('%s refuses a %s generation and changes nothing', async (name, status) => {
    const generation = await generationIn(status, name === 'resubmit' || name === 'replaceOperation');
    const balance = (await harness.gateway.accounts.get(account.accountId))!.credits;
    expect(await apply[name](harness, generation)).toBe(false);
    expect(await harness.gateway.repository.get(generation.id)).toEqual(generation);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(balance);
  });

  it('markSubmitted refuses a generation that already has an upstream operation (no double submission)', async () => {
    const generation = await generationIn('QUEUED', true);
    expect(await harness.gateway.lifecycle.markSubmitted(generation, { taskId: 'task_2' })).toBe(false);
    expect((await harness.gateway.repository.get(generation.id))!.operation).toEqual({ taskId: 'task_1' });
  });

  it('resubmit refuses a generation with no upstream operation to replace', async () => {
    const generation = await generationIn('PROCESSING', false);
    expect(await harness.gateway.lifecycle.resubmit(generation)).toBe(false);
  });

  it('replaceOperation moves a two-step request on to its next upstream operation, keeping the status', async () => {
    const generation = await generationIn('PROCESSING', true);
    expect(await harness.gateway.lifecycle.replaceOperation(generation, { stage: 'main', predictionId: 'p_2' })).toBe(true);
    expect((await harness.gateway.repository.get(generation.id))!).toMatchObject({ status: 'PROCESSING', operation: { stage: 'main', predictionId: 'p_2' } });
  });

  it('replaceOperation refuses a generation with no operation (it was never submitted, or was resubmitted)', async () => {
    const generation = await generationIn('PROCESSING', false);
    expect(await harness.gateway.lifecycle.replaceOperation(generation, { predictionId: 'p_3' })).toBe(false);
  });

  it('resubmit of a PROCESSING generation clears its operation and keeps it PROCESSING, so it can be submitted again', async () => {
    const generation = await generationIn('PROCESSING', true);
    expect(await harness.gateway.lifecycle.resubmit(generation)).toBe(true);
    const resubmitted = (await harness.gateway.repository.get(generation.id))!;
    expect(resubmitted).toMatchObject({ status: 'PROCESSING', operation: null, resubmissions: 1 });
    expect(await harness.gateway.lifecycle.markSubmitted(resubmitted, { taskId: 'task_3' })).toBe(true);
    expect((await harness.gateway.repository.get(generation.id))!).toMatchObject({ status: 'PROCESSING', operation: { taskId: 'task_3' } });
  });

  it('a terminal transition settles once: complete after fail changes neither status nor balance', async () => {
    const generation = await generationIn('PROCESSING', true);
    expect(await harness.gateway.lifecycle.fail(generation, { code: 'GENERATION_FAILED', message: 'no', retryable: false })).toBe(true);
    const balance = (await harness.gateway.accounts.get(account.accountId))!.credits;
    expect(await harness.gateway.lifecycle.complete(generation, { outputs: [], metadata: null, finalCost: 1 })).toBe(false);
    expect((await harness.gateway.repository.get(generation.id))!.status).toBe('FAILED');
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(balance);
  });
});

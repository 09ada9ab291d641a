import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { GenerationRepository } from '../generations/generation-repository.ts';
import type { GenerationRunner } from '../generations/generation-runner.ts';
import type { RunGenerationJob } from './queues.ts';

export interface RunGenerationDependencies {
  generations: Pick<GenerationRepository, 'get'>;
  runner: Pick<GenerationRunner, 'step'>;
  now(): number;
}

/**
 * What a step that moved its job back to the delayed set throws, so BullMQ leaves the job alone. One instance serves
 * every step: BullMQ only tests its type, and a new Error each poll would capture a stack trace each poll.
 */
const movedToDelayed = new DelayedError();

/**
 * BullMQ glue around the runner, one job per generation: load it, run one step, then move the job back to the delayed
 * set for the next one (so a generation waiting on its provider holds no worker slot), finish it, or fail it. An error
 * the runner could not handle itself (its store unreachable) is rethrown, so BullMQ retries the step with backoff.
 */
export function createRunGenerationProcessor({ generations, runner, now }: RunGenerationDependencies) {
  return async function runGeneration(job: Job<RunGenerationJob>, token?: string): Promise<void> {
    const generation = await generations.get(job.data.generationId);
    if (!generation) return;
    const outcome = await runner.step(generation);
    if (outcome.next === 'failed') throw new UnrecoverableError(outcome.error.message);
    if (outcome.next === 'delay') {
      await job.moveToDelayed(now() + outcome.ms, token);
      throw movedToDelayed;
    }
  };
}

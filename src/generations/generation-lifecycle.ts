import type { MediaMetadata } from '../media/media-metadata.ts';
import type { Generation, GenerationAttempt, GenerationFailure, GenerationStatus, Json } from './generation.ts';
import type { GenerationRepository, OperationGuard, Settlement, TransitionTarget } from './generation-repository.ts';

interface TransitionRule {
  from: readonly GenerationStatus[];
  /** Omitted: the status stays what it is. */
  to?: GenerationStatus;
  operation?: OperationGuard;
}

/**
 * Every way a generation's record may change, with the statuses it may start from. Each runs as one
 * compare-and-set in Redis, so a job that runs twice, or a cancel racing the worker, changes nothing the
 * second time. Nothing outside this module writes a generation's status.
 */
export const transitionRules = {
  /** The upstream accepted it: record the operation to poll. Only once per submission (no operation yet). */
  markSubmitted: { from: ['QUEUED', 'PROCESSING'], operation: 'none' },
  /** The upstream started working on it. */
  markStarted: { from: ['QUEUED'], to: 'PROCESSING' },
  recordProgress: { from: ['PROCESSING'] },
  /** A two-step request moved on to its next upstream operation. */
  replaceOperation: { from: ['QUEUED', 'PROCESSING'], operation: 'some' },
  /** Its route failed in a way another could fix: it moves to the next route, keeping its id (and its slot). */
  fallBack: { from: ['QUEUED', 'PROCESSING'] },
  /** The upstream lost it (an internal error): forget the operation so the worker submits again, whether it had started or not. */
  resubmit: { from: ['QUEUED', 'PROCESSING'], operation: 'some' },
  complete: { from: ['QUEUED', 'PROCESSING'], to: 'COMPLETED' },
  fail: { from: ['QUEUED', 'PROCESSING'], to: 'FAILED' },
  cancel: { from: ['QUEUED', 'PROCESSING'], to: 'CANCELLED' },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof transitionRules;

/** The generation as the caller has it: its keys at least, and whatever else of the record (for logs and the event). */
type Target = TransitionTarget;

/** Where a generation goes when it falls back: the route, and the provider's model, options and price there. */
export type NextRoute = Pick<Generation, 'provider' | 'route' | 'model' | 'options' | 'creditCost' | 'estimatedTime'>;

export interface CompletedOutputs {
  outputs: string[];
  metadata: MediaMetadata | null;
  /** Credits to keep (at most what was reserved). */
  finalCost: number;
}

/** Told of every transition that was made (for logs and metrics): the record as the caller knew it, and what changed. */
export type TransitionObserver = (name: TransitionName, generation: Target, change: { fields?: Partial<Generation>; finalCost?: number }) => void;

/** The named transitions of a generation's life, used by the worker and the service alike. */
export class GenerationLifecycle {
  constructor(
    private readonly repository: Pick<GenerationRepository, 'transition' | 'transitionOutcome'>,
    private readonly now: () => number = Date.now,
    private readonly observe: TransitionObserver = () => {},
  ) {}

  private async run(name: TransitionName, generation: Target, change: { fields?: Partial<Generation>; settlement?: Settlement; finalCost?: number } = {}) {
    const made = await this.repository.transition(generation, { ...transitionRules[name], ...change });
    if (made) this.observe(name, generation, change);
    return made;
  }

  markSubmitted(generation: Target, operation: Json) {
    return this.run('markSubmitted', generation, { fields: { operation } });
  }

  markStarted(generation: Target, progress: number) {
    return this.run('markStarted', generation, { fields: { progress, startedAt: this.now() } });
  }

  recordProgress(generation: Target, progress: number) {
    return this.run('recordProgress', generation, { fields: { progress } });
  }

  replaceOperation(generation: Target, operation: Json) {
    return this.run('replaceOperation', generation, { fields: { operation } });
  }

  /**
   * Moves the generation to another route (and maybe provider), recording the attempt that failed; the new route
   * starts with its own retry budget. A dearer route reserves the difference in the same step; answers
   * 'insufficient-credits' (nothing changed) when the account cannot cover it.
   */
  async fallBack(generation: Target & Pick<Generation, 'creditsReserved' | 'attempts'>, next: NextRoute, failed: GenerationAttempt) {
    const fields = { ...next, operation: null, resubmissions: 0, routeFailures: 0, progress: 0, startedAt: null, attempts: [...generation.attempts, failed] };
    const extra = Math.max(0, next.creditCost - generation.creditsReserved);
    const outcome = await this.repository.transitionOutcome(generation, { ...transitionRules.fallBack, fields, settlement: 'topUp', finalCost: extra });
    if (outcome === 'made') this.observe('fallBack', generation, { fields });
    return outcome;
  }

  resubmit(generation: Target & Pick<Generation, 'resubmissions'>) {
    return this.run('resubmit', generation, { fields: { operation: null, resubmissions: generation.resubmissions + 1 } });
  }

  complete(generation: Target & Pick<Generation, 'startedAt'>, result: CompletedOutputs) {
    const now = this.now();
    const fields = { outputs: result.outputs, metadata: result.metadata, progress: 1, completedAt: now, startedAt: generation.startedAt ?? now };
    return this.run('complete', generation, { fields, settlement: 'charge', finalCost: result.finalCost });
  }

  /** `charged`: the upstream keeps the charge for this failure (Runway's SAFETY.INPUT), so the reservation is kept. */
  fail(generation: Target & Pick<Generation, 'creditCost'>, failure: GenerationFailure, charged = false) {
    return this.run('fail', generation, { fields: { error: failure, completedAt: this.now() }, settlement: charged ? 'charge' : 'refund', finalCost: generation.creditCost });
  }

  /** Credits come back when the upstream had not been given the work; once submitted, the upstream bills it, so they are kept. */
  cancel(generation: Target & Pick<Generation, 'creditCost'>) {
    return this.run('cancel', generation, { fields: { completedAt: this.now() }, settlement: 'cancel', finalCost: generation.creditCost });
  }
}

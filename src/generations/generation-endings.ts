import { type Generation, type GenerationFailure, isTerminal } from './generation.ts';
import type { CompletedOutputs, GenerationLifecycle } from './generation-lifecycle.ts';
import { type SlotLineDependencies, wakeNextInLine } from './slot-lines.ts';

export type WebhookEvent = 'generation.started' | 'generation.completed' | 'generation.failed' | 'generation.cancelled';

/** The webhook event each way of ending sends. */
export const eventForStatus = { COMPLETED: 'generation.completed', FAILED: 'generation.failed', CANCELLED: 'generation.cancelled' } as const satisfies Record<string, WebhookEvent>;

/** Queues a generation's webhook (the webhook queue implements it; one delivery per generation and event). */
export interface WebhookScheduler {
  enqueue(generationId: string, event: WebhookEvent): Promise<void>;
}

/** How a generation ends: completed with its stored outputs, failed (`charged`: the upstream keeps the charge), or cancelled. */
export type Ending = { status: 'COMPLETED'; result: CompletedOutputs } | { status: 'FAILED'; failure: GenerationFailure; charged?: boolean } | { status: 'CANCELLED' };

export interface GenerationEndingsDependencies extends SlotLineDependencies {
  lifecycle: Pick<GenerationLifecycle, 'complete' | 'fail' | 'cancel'>;
  webhooks: WebhookScheduler;
}

/**
 * Every way a generation ends goes through `ended`: the worker's completions and failures, a fallback the account
 * cannot pay for, and a client's cancel.
 */
export class GenerationEndings {
  constructor(private readonly dependencies: GenerationEndingsDependencies) {}

  /**
   * Ends the generation with one compare-and-set (which settles its credits and frees its slots), then `announce`s it.
   * Answers whether this call ended it; when it had ended already, nothing is done again.
   */
  async ended(generation: Generation, ending: Ending): Promise<boolean> {
    if (!(await this.transition(generation, ending))) return false;
    await this.announce({ ...generation, status: ending.status });
    return true;
  }

  /**
   * What follows the end: whoever waits first for a slot it freed goes now, and its webhook is queued. Safe to repeat
   * (the webhook is queued once per event), so a step that finds its generation ended repeats it, in case whatever
   * ended it stopped in between.
   */
  async announce(generation: Generation): Promise<void> {
    await Promise.all([wakeNextInLine(this.dependencies, generation), this.notify(generation)]);
  }

  private transition(generation: Generation, ending: Ending): Promise<boolean> {
    const { lifecycle } = this.dependencies;
    if (ending.status === 'COMPLETED') return lifecycle.complete(generation, ending.result);
    if (ending.status === 'FAILED') return lifecycle.fail(generation, ending.failure, ending.charged);
    return lifecycle.cancel(generation);
  }

  /** The upstream started the generation: its webhook is queued when it asked for that moment (once, like every event). */
  async started(generation: Generation): Promise<void> {
    if (generation.webhookUrl && generation.webhookMoments?.includes('started')) await this.dependencies.webhooks.enqueue(generation.id, 'generation.started');
  }

  private async notify(generation: Generation) {
    if (!generation.webhookUrl || !isTerminal(generation.status)) return;
    if (generation.webhookMoments && !generation.webhookMoments.includes('ended')) return;
    await this.dependencies.webhooks.enqueue(generation.id, eventForStatus[generation.status as keyof typeof eventForStatus]);
  }
}

import { ConcurrencySlots } from '../billing/concurrency-slots.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { RouteCircuits } from '../health/route-health.ts';
import type { Logger } from '../logging/logger.ts';
import type { ConnectedRoute, ProviderRegistry } from '../providers/registry.ts';
import type { Connector, ConnectorContext, PollResult, ProviderDefinition, ProviderOutput, SubmitRequest } from '../providers/spec.ts';
import { namesUploads } from '../uploads/upload-uri.ts';
import { type Generation, type GenerationFailure, isTerminal, type Json } from './generation.ts';
import type { GenerationEndings } from './generation-endings.ts';
import type { GenerationLifecycle } from './generation-lifecycle.ts';
import type { GenerationRepository } from './generation-repository.ts';
import { fallbackPlans, type PlanningRegistry } from './plan-generation.ts';
import { asGatewayError, circuitOpenFailure, failureOf, isFixable } from './route-failures.ts';
import { type GenerationScheduler, wakeUpstreamLine } from './slot-lines.ts';
import { nextPollDelay, retryDelay } from './step-delays.ts';
import { type OutputStoring, storeOutputs } from './store-outputs.ts';

/**
 * What the job does after a step: run the next one after `ms` (a poll, a slot recheck, a retry, a new route), nothing
 * more, or fail as well (the step's error ended the generation on its route).
 */
export type StepOutcome = { next: 'delay'; ms: number } | { next: 'done' } | { next: 'failed'; error: GatewayError };

/** Where a generation is after a fixable failure: on its next route, ended, or still on this one (none is left). */
export type FallbackResult = 'moved' | 'ended' | 'stays';

export interface RetryBudget {
  /** Steps that may fail temporarily on one route before the route counts as failed (UPSTREAM_RETRY_ATTEMPTS). */
  attemptsPerRoute: number;
  /** The first retry's delay, doubling with jitter (UPSTREAM_RETRY_BASE_MS); an upstream's Retry-After wins. */
  baseDelayMs: number;
}

export interface GenerationRunnerDependencies extends OutputStoring {
  lifecycle: Pick<GenerationLifecycle, 'markSubmitted' | 'markStarted' | 'recordProgress' | 'replaceOperation' | 'resubmit' | 'fallBack'>;
  endings: Pick<GenerationEndings, 'ended' | 'announce' | 'started'>;
  routeFailures: Pick<GenerationRepository, 'countRouteFailure'>;
  circuits: Pick<RouteCircuits, 'admit' | 'recordSuccess' | 'recordFailure'>;
  registry: PlanningRegistry & Pick<ProviderRegistry, 'connectedRoute' | 'maxConcurrency'>;
  slots: Pick<ConcurrencySlots, 'acquire' | 'acquireUpstream' | 'upstreamWaitingHead'>;
  queue: Pick<GenerationScheduler, 'wake'>;
  readMedia: ConnectorContext['readMedia'];
  /** The input with every upload it names replaced by a link an upstream can fetch the file from. */
  linkUploads(input: Generation['input']): Promise<Generation['input']>;
  retries: RetryBudget;
  now(): number;
  log: Logger;
  /** Wraps each upstream call (metrics: latency and errors by route). */
  timeUpstream?<T>(labels: { provider: string; route: string; call: string }, call: () => Promise<T>): Promise<T>;
}

/** Upstream internal errors are retried by submitting again, this many times. */
const maxResubmissions = 2;

/** How a generation waiting for a concurrency slot checks again (a freed slot also wakes it at once). */
const slotRecheck = { initialDelayMs: 0, intervalMs: 500, maxIntervalMs: 5000 };

const done: StepOutcome = { next: 'done' };
const delay = (ms: number): StepOutcome => ({ next: 'delay', ms });

/** The stored operation as the route's connector declared it; a record it cannot read is a fault, not a cast. */
function storedOperation(connector: Connector, generation: Generation): Json | null {
  if (generation.operation === null) return null;
  const parsed = connector.operationSchema.safeParse(generation.operation);
  if (!parsed.success) throw new GatewayError('INTERNAL', `the stored upstream operation of route ${generation.route} is not readable`);
  return parsed.data;
}

/**
 * The stored options as the generation's provider parses them: a connector's options are typed from that schema, so
 * they are parsed again before every submit and poll, never cast. Options the schema no longer takes are a fault.
 */
function storedOptions(definition: ProviderDefinition | undefined, generation: Generation): Record<string, unknown> {
  const parsed = definition?.optionsSchema.safeParse(generation.options);
  if (!parsed?.success) throw new GatewayError('INTERNAL', `the stored options of generation ${generation.id} do not fit provider ${generation.provider}`);
  return parsed.data;
}

/** A cancel upstream is a courtesy (the generation has ended either way): a failure is logged, not thrown. */
async function cancelQuietly(context: ConnectorContext, cancel: () => Promise<void> | undefined) {
  try {
    await cancel();
  } catch (error) {
    context.log.warn({ err: error }, 'upstream cancel failed');
  }
}

/** The task's expected length, when the route paces its polls by the quote. */
const expectedMs = (generation: Generation, route: ConnectedRoute) => (route.polling.followsEstimate ? (generation.estimatedTime ?? 0) * 1000 : 0);

/**
 * A generation's run as named steps: hold its slots, submit, poll, complete (store the outputs, settle), fall back to
 * another route, and end through `endings.ended`. Each step answers what to do next instead of touching a job, so the
 * steps run without BullMQ. Every step is safe to run twice: state changes are compare-and-set, and the one that ends
 * a generation settles its credits.
 */
export class GenerationRunner {
  constructor(private readonly dependencies: GenerationRunnerDependencies) {}

  /**
   * The generation's next step, whatever its state: an error it throws is retried within its route's budget, then fails
   * the route. A generation with a deadline is cancelled by the first step that finds it passed, and no step waits
   * beyond it, so no timer is needed.
   */
  async step(generation: Generation): Promise<StepOutcome> {
    if (isTerminal(generation.status)) return this.afterEnd(generation);
    const { deadline } = generation;
    if (deadline !== null && this.dependencies.now() >= deadline) return this.cancelAtDeadline(generation);
    const outcome = await this.nextStep(generation);
    return deadline !== null && outcome.next === 'delay' ? delay(Math.min(outcome.ms, Math.max(0, deadline - this.dependencies.now()))) : outcome;
  }

  private async nextStep(generation: Generation): Promise<StepOutcome> {
    let route: ConnectedRoute | null = null;
    try {
      route = this.dependencies.registry.connectedRoute(generation.provider, generation.route);
      const operation = storedOperation(route.connector, generation);
      if (!(await this.holdSlots(generation, route)) && operation === null) return delay(nextPollDelay(slotRecheck, this.dependencies.now() - generation.createdAt));
      return operation === null ? await this.submit(generation, route) : await this.poll(generation, route, operation);
    } catch (error) {
      return this.stepFailed(generation, asGatewayError(error), route);
    }
  }

  /**
   * The account's slot, and the upstream's when its vendor limits tasks at once: a generation waits (QUEUED) for both.
   * Acquiring also renews a held slot's lease; a submitted generation renews only once half its lease has passed.
   */
  async holdSlots(generation: Generation, route: ConnectedRoute): Promise<boolean> {
    const { slots, now } = this.dependencies;
    if (generation.operation !== null && ConcurrencySlots.leaseIsFresh(generation, now())) return true;
    if (!(await slots.acquire(generation))) return false;
    return route.maxConcurrency === null || slots.acquireUpstream(generation.route, route.maxConcurrency, generation);
  }

  /** Submits the generation to its route (unless the route's circuit is open) and records the operation to poll. */
  async submit(generation: Generation, route: ConnectedRoute): Promise<StepOutcome> {
    const { circuits, lifecycle, now } = this.dependencies;
    if ((await circuits.admit(generation.provider, generation.route)) === 'open') return this.routeFailed(generation, circuitOpenFailure(generation), route, true);
    const context = this.contextFor(generation);
    const request = await this.submitRequest(generation, route);
    const operation = await this.upstreamCall(generation, 'submit', () => route.connector.submit(request, context));
    if (!(await lifecycle.markSubmitted(generation, operation))) {
      await cancelQuietly(context, () => route.connector.cancel?.(operation, context));
      return done;
    }
    context.log.info('submitted upstream');
    // A task with an expected length is first asked about halfway through it; others after the route's initial delay.
    const expected = expectedMs(generation, route);
    const firstPoll = expected > 0 ? nextPollDelay(route.polling, now() - generation.createdAt, expected) : route.polling.initialDelayMs;
    return firstPoll > 0 ? delay(firstPoll) : this.pollWith(generation, route, operation, request, context);
  }

  /** Asks the upstream about the operation: progress (and when to ask again), outputs to complete with, or a failure. */
  async poll(generation: Generation, route: ConnectedRoute, operation: Json): Promise<StepOutcome> {
    return this.pollWith(generation, route, operation, await this.submitRequest(generation, route), this.contextFor(generation));
  }

  /** Stores the outputs, counts a success for the route's circuit, and ends the generation COMPLETED at its final cost (the upstream's, when it reports one). */
  async complete(generation: Generation, outputs: ProviderOutput[], costUsd: number | undefined): Promise<StepOutcome> {
    const { registry, circuits, endings, now } = this.dependencies;
    const { urls, metadata } = await storeOutputs(this.dependencies, generation.id, outputs);
    const finalCost = costUsd === undefined ? generation.creditCost : registry.credits({ usd: costUsd });
    await circuits.recordSuccess(generation.provider, generation.route, now() - (generation.startedAt ?? generation.createdAt));
    await endings.ended(generation, { status: 'COMPLETED', result: { outputs: urls, metadata, finalCost } });
    return done;
  }

  /**
   * After a failure another route could fix (never bad input or moderation), moves the generation to the next route its
   * `fallback` allows, re-quoted, with that route's own retry budget. A dearer route the account cannot cover ends it
   * FAILED with INSUFFICIENT_CREDITS, refunded.
   */
  async fallBack(generation: Generation, failure: GenerationFailure): Promise<FallbackResult> {
    const { registry, lifecycle, endings, now, log } = this.dependencies;
    if (!isFixable(failure)) return 'stays';
    const tried = new Set([...generation.attempts, generation].map((attempt) => `${attempt.provider}/${attempt.route}`));
    const request = { type: generation.type, provider: generation.provider, input: generation.input, options: generation.requestedOptions, priority: generation.priority };
    const [next] = fallbackPlans(registry, request, generation.mode, generation.fallback, tried);
    if (!next) return 'stays';
    const route = { provider: next.definition.id, route: next.route, model: next.quote.model, options: next.request.options, creditCost: next.credits, estimatedTime: next.quote.estimatedSeconds };
    const outcome = await lifecycle.fallBack(generation, route, { provider: generation.provider, route: generation.route, code: failure.code, message: failure.message, at: now() });
    if (outcome === 'insufficient-credits') {
      const message = `falling back to ${route.provider} (${route.route}) needs ${route.creditCost} credits; the account cannot cover the difference`;
      await endings.ended(generation, { status: 'FAILED', failure: { code: 'INSUFFICIENT_CREDITS', message, retryable: false } });
      return 'ended';
    }
    // Only a generation that has ended refuses a fallback.
    if (outcome !== 'made') return 'ended';
    await wakeUpstreamLine(this.dependencies, generation);
    log.warn({ generationId: generation.id, from: `${generation.provider}/${generation.route}`, to: `${route.provider}/${route.route}`, failure: failure.message }, 'falling back to another route');
    return 'moved';
  }

  private async pollWith(generation: Generation, route: ConnectedRoute, operation: Json, request: SubmitRequest, context: ConnectorContext): Promise<StepOutcome> {
    const { lifecycle, now } = this.dependencies;
    const result = await this.upstreamCall(generation, 'poll', () => route.connector.poll(operation, context, request));
    if (result.status === 'completed') return this.complete(generation, result.outputs, result.costUsd);
    if (result.status === 'failed') return this.upstreamFailed(generation, route, result, context);
    if (result.operation !== undefined && (await lifecycle.replaceOperation(generation, result.operation))) return delay(0);
    await this.recordProgress(generation, result);
    return delay(nextPollDelay(route.polling, now() - generation.createdAt, expectedMs(generation, route)));
  }

  /** The upstream reported a failure: an internal one is submitted again (a few times), anything else fails the route. */
  private async upstreamFailed(generation: Generation, route: ConnectedRoute, result: Extract<PollResult, { status: 'failed' }>, context: ConnectorContext): Promise<StepOutcome> {
    if (result.resubmit && generation.resubmissions < maxResubmissions && (await this.dependencies.lifecycle.resubmit(generation))) {
      context.log.warn({ failure: result.message }, 'upstream internal error; submitting again');
      return delay(0);
    }
    return this.routeFailed(generation, { code: result.code, message: result.message, retryable: result.retryable }, route);
  }

  /**
   * A step threw. A temporary failure is tried again with backoff while its route's budget lasts (counted on the
   * record, so the next route starts with a whole budget); after that, or for any other error, the route has failed.
   */
  private async stepFailed(generation: Generation, error: GatewayError, route: ConnectedRoute | null): Promise<StepOutcome> {
    const { routeFailures, retries, log } = this.dependencies;
    if (error.retryable) {
      const failures = await routeFailures.countRouteFailure(generation.id);
      if (failures < retries.attemptsPerRoute) {
        log.warn({ generationId: generation.id, err: error, attemptsLeft: retries.attemptsPerRoute - failures }, 'generation step failed; retrying');
        return delay(retryDelay(failures, retries.baseDelayMs, error.retryAfterMs));
      }
    }
    log.warn({ generationId: generation.id, err: error }, 'generation step failed for good on its route');
    const outcome = await this.routeFailed(generation, failureOf(error), route);
    return outcome.next === 'delay' ? outcome : { next: 'failed', error };
  }

  /**
   * A failure of the generation's route: a fixable one counts against the route's circuit (unless the route was skipped
   * because its circuit is open) and sends the generation on to its fallback; otherwise it ends here.
   */
  private async routeFailed(generation: Generation, failure: GenerationFailure, route: ConnectedRoute | null, skipped = false): Promise<StepOutcome> {
    if (isFixable(failure) && !skipped) await this.dependencies.circuits.recordFailure(generation.provider, generation.route);
    const fallback = await this.fallBack(generation, failure);
    if (fallback === 'moved') return delay(0);
    if (fallback === 'stays') {
      const charged = failure.code === 'CONTENT_MODERATION' && route?.route.chargesModeratedInput === true;
      await this.dependencies.endings.ended(generation, { status: 'FAILED', failure, charged });
    }
    return done;
  }

  /** Its deadline passed before it ended: cancelled like a client's cancel, and its upstream task with it. */
  private async cancelAtDeadline(generation: Generation): Promise<StepOutcome> {
    if (!(await this.dependencies.endings.ended(generation, { status: 'CANCELLED' }))) return done;
    this.dependencies.log.info({ generationId: generation.id }, 'deadline passed; cancelled');
    return this.afterEnd({ ...generation, status: 'CANCELLED' });
  }

  /** A step for a generation that has ended: a cancelled one's upstream task is cancelled, and the end is announced again (a no-op if it was). */
  private async afterEnd(generation: Generation): Promise<StepOutcome> {
    if (generation.status === 'CANCELLED' && generation.operation !== null) {
      const context = this.contextFor(generation);
      await cancelQuietly(context, () => {
        const { connector } = this.dependencies.registry.connectedRoute(generation.provider, generation.route);
        return connector.cancel?.(storedOperation(connector, generation)!, context);
      });
    }
    await this.dependencies.endings.announce(generation);
    return done;
  }

  private async recordProgress(generation: Generation, result: Extract<PollResult, { status: 'pending' }>) {
    const { lifecycle } = this.dependencies;
    const progress = result.progress ?? generation.progress;
    if (generation.status === 'QUEUED' && result.started) {
      if (await lifecycle.markStarted(generation, progress)) await this.dependencies.endings.started({ ...generation, status: 'PROCESSING', progress });
    } else if (generation.status === 'PROCESSING' && progress !== generation.progress) await lifecycle.recordProgress(generation, progress);
  }

  /** What the connector is asked to make; uploads become links unless the route hands them to its upstream itself. */
  private async submitRequest(generation: Generation, route: ConnectedRoute): Promise<SubmitRequest> {
    const linked = !route.route.takesUploads && namesUploads(generation.input);
    return {
      type: generation.type,
      input: linked ? await this.dependencies.linkUploads(generation.input) : generation.input,
      options: storedOptions(this.dependencies.registry.get(generation.provider), generation),
      model: generation.model ?? '',
      generationId: generation.id,
      attempt: generation.attempts.length,
    };
  }

  private contextFor(generation: Generation): ConnectorContext {
    const { now, log, readMedia } = this.dependencies;
    return { now, log: log.child({ generationId: generation.id, provider: generation.provider, route: generation.route }), readMedia };
  }

  private upstreamCall<T>(generation: Generation, call: string, run: () => Promise<T>): Promise<T> {
    const { timeUpstream } = this.dependencies;
    return timeUpstream ? timeUpstream({ provider: generation.provider, route: generation.route, call }, run) : run();
  }
}

import { rm } from 'node:fs/promises';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { ConcurrencySlots } from '../billing/concurrency-slots.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { type Generation, type GenerationFailure, isTerminal, type Json } from '../generations/generation.ts';
import type { GenerationLifecycle } from '../generations/generation-lifecycle.ts';
import type { GenerationRepository } from '../generations/generation-repository.ts';
import { wakeNextInLine, wakeUpstreamLine } from '../generations/generation-service.ts';
import { fallbackPlans } from '../generations/plan-generation.ts';
import type { RouteCircuits } from '../health/route-health.ts';
import type { Logger } from '../logging/logger.ts';
import { probeMedia, probeMediaFile } from '../media/probe-media.ts';
import type { ConnectedRoute, ProviderRegistry } from '../providers/registry.ts';
import type { Connector, ConnectorContext, PollResult, ProviderOutput, SubmitRequest } from '../providers/spec.ts';
import type { OutputStore } from '../storage/output-store.ts';
import { namesUploads } from '../uploads/upload-uri.ts';
import { eventForStatus } from '../webhooks/webhook-payload.ts';
import type { GenerationQueue, WebhookQueue } from './job-queues.ts';
import { nextPollDelay } from './polling.ts';
import type { RunGenerationJob } from './queues.ts';

export interface RunGenerationDependencies {
  generations: Pick<GenerationRepository, 'get'>;
  lifecycle: GenerationLifecycle;
  circuits: Pick<RouteCircuits, 'admit' | 'recordSuccess' | 'recordFailure'>;
  registry: ProviderRegistry;
  store: OutputStore;
  webhooks: Pick<WebhookQueue, 'enqueue'>;
  queue: Pick<GenerationQueue, 'wake'>;
  slots: Pick<ConcurrencySlots, 'acquire' | 'waitingHead' | 'acquireUpstream' | 'upstreamWaitingHead'>;
  /** Fetches an upstream output (size-capped, media only): its bytes when small, else streamed to `spillPath`. */
  downloadOutput(url: string, headers: Record<string, string> | undefined, spillPath: string): Promise<{ bytes: Uint8Array } | { file: string }>;
  readMedia: ConnectorContext['readMedia'];
  /** The input with every upload (runway:// URI) replaced by a link an upstream can fetch it from. */
  linkUploads(input: Generation['input']): Promise<Generation['input']>;
  now(): number;
  log: Logger;
  /** Wraps each upstream call (metrics: latency and errors by route). */
  timeUpstream?<T>(labels: { provider: string; route: string; call: string }, call: () => Promise<T>): Promise<T>;
}

/** Failures another route could fix: the upstream down or out of retries, an upstream internal error; never bad input or moderation. */
const isFixable = (failure: GenerationFailure) => failure.code === 'PROVIDER_UNAVAILABLE' || (failure.code === 'GENERATION_FAILED' && failure.retryable);

/** A step's error as the generation records it, keeping the input field it names. */
function failureOf(error: GatewayError): GenerationFailure {
  const { field } = error.details;
  return { code: error.code, message: error.message, retryable: error.retryable, ...(typeof field === 'string' ? { field } : {}) };
}

/** Upstream internal errors are retried by submitting again, this many times. */
const maxResubmissions = 2;

/**
 * What a step that moved its job back to the delayed set throws, so BullMQ leaves the job alone. One instance serves
 * every step: BullMQ only tests its type, and a new Error each poll would capture a stack trace each poll.
 */
const movedToDelayed = new DelayedError();

/** How a generation waiting for a concurrency slot checks again (a freed slot also wakes it at once). */
const slotRecheck = { initialDelayMs: 0, intervalMs: 500, maxIntervalMs: 5000 };

/**
 * One job per generation, run as steps: wait for a concurrency slot, submit, then poll by moving itself back to the delayed set,
 * so a generation waiting on its provider holds no worker slot. Every step is safe to run twice:
 * state changes are compare-and-set, and the one that ends a generation settles its credits.
 */
export function createRunGenerationProcessor(dependencies: RunGenerationDependencies) {
  const { generations, lifecycle, registry, now } = dependencies;
  const upstreamCall = <T>(generation: Generation, call: string, run: () => Promise<T>) =>
    dependencies.timeUpstream ? dependencies.timeUpstream({ provider: generation.provider, route: generation.route, call }, run) : run();

  async function notify(generation: Generation) {
    if (!generation.webhookUrl || !isTerminal(generation.status)) return;
    await dependencies.webhooks.enqueue(generation.id, eventForStatus[generation.status as keyof typeof eventForStatus]);
  }

  /** After the transition that ended a generation: its slots are free for the next in line, and its webhook goes out. */
  async function ended(generation: Generation, status: Generation['status']) {
    await wakeNextInLine(dependencies, generation);
    await notify({ ...generation, status });
  }

  async function fail(generation: Generation, failure: GenerationFailure, route: ConnectedRoute | null) {
    const charged = failure.code === 'CONTENT_MODERATION' && route?.route.chargesModeratedInput === true;
    if (await lifecycle.fail(generation, failure, charged)) await ended(generation, 'FAILED');
  }

  /**
   * A failure another route could fix (the upstream down or out of retries, an upstream internal error) moves the
   * generation to the next route its `fallback` allows, re-quoted; never bad input or moderation. Answers whether
   * it moved. A dearer route the account cannot cover fails it with INSUFFICIENT_CREDITS, refunded.
   */
  async function fallBack(generation: Generation, failure: GenerationFailure): Promise<boolean> {
    if (!isFixable(failure)) return false;
    const tried = new Set([...generation.attempts, generation].map((attempt) => `${attempt.provider}/${attempt.route}`));
    const request = { type: generation.type, provider: generation.provider, input: generation.input, options: generation.requestedOptions, priority: generation.priority };
    const [next] = fallbackPlans(registry, request, generation.mode, generation.fallback, tried);
    if (!next) return false;
    const route = { provider: next.definition.id, route: next.route, model: next.quote.model, options: next.request.options, creditCost: next.credits, estimatedTime: next.quote.estimatedSeconds };
    const outcome = await lifecycle.fallBack(generation, route, { provider: generation.provider, route: generation.route, code: failure.code, message: failure.message, at: now() });
    if (outcome === 'insufficient-credits') {
      await fail(
        generation,
        { code: 'INSUFFICIENT_CREDITS', message: `falling back to ${route.provider} (${route.route}) needs ${route.creditCost} credits; the account cannot cover the difference`, retryable: false },
        null,
      );
      return true;
    }
    if (outcome !== 'made') return false;
    await wakeUpstreamLine(dependencies, generation);
    dependencies.log.warn(
      { generationId: generation.id, from: `${generation.provider}/${generation.route}`, to: `${route.provider}/${route.route}`, failure: failure.message },
      'falling back to another route',
    );
    return true;
  }

  async function storeBytes(key: string, bytes: Uint8Array) {
    const probed = await probeMedia(bytes);
    return { url: await dependencies.store.put(`${key}.${probed.format}`, bytes, probed.contentType), probed };
  }

  /** An output kept on our storage and probed: bytes as given or downloaded small, a large file streamed to disk (never whole in memory). */
  async function storeOutput(key: string, output: ProviderOutput) {
    const { store } = dependencies;
    if ('bytes' in output) return storeBytes(key, output.bytes);
    const downloaded = await dependencies.downloadOutput(output.url, output.headers, store.incomingPath());
    if ('bytes' in downloaded) return storeBytes(key, downloaded.bytes);
    try {
      const probed = await probeMediaFile(downloaded.file);
      return { url: await store.putFile(`${key}.${probed.format}`, downloaded.file, probed.contentType), probed };
    } catch (error) {
      await rm(downloaded.file, { force: true });
      throw error;
    }
  }

  async function complete(generation: Generation, outputs: ProviderOutput[], costUsd: number | undefined) {
    const urls: string[] = [];
    let metadata = null;
    for (const [index, output] of outputs.entries()) {
      const { url, probed } = await storeOutput(`${generation.id}/${index}`, output);
      urls.push(url);
      metadata ??= probed;
    }
    const finalCost = costUsd === undefined ? generation.creditCost : registry.credits({ usd: costUsd });
    await dependencies.circuits.recordSuccess(generation.provider, generation.route, now() - (generation.startedAt ?? generation.createdAt));
    if (await lifecycle.complete(generation, { outputs: urls, metadata, finalCost })) await ended(generation, 'COMPLETED');
  }

  /**
   * A failure of the generation's route: a fixable one counts against the route's circuit (unless the route was
   * skipped because its circuit is open) and sends the generation on to its fallback; otherwise it ends here.
   */
  async function routeFailed(job: Job, token: string | undefined, generation: Generation, failure: GenerationFailure, route: ConnectedRoute | null, skipped = false): Promise<void> {
    if (isFixable(failure) && !skipped) await dependencies.circuits.recordFailure(generation.provider, generation.route);
    if (await fallBack(generation, failure)) return reschedule(job, token, 0);
    await fail(generation, failure, route);
  }

  /** The account's slot, and the upstream's when its vendor limits tasks at once: a generation waits (QUEUED) for both. */
  async function holdSlots(generation: Generation, route: ConnectedRoute): Promise<boolean> {
    if (!(await dependencies.slots.acquire(generation))) return false;
    return route.maxConcurrency === null || dependencies.slots.acquireUpstream(generation.route, route.maxConcurrency, generation);
  }

  async function recordProgress(generation: Generation, result: Extract<PollResult, { status: 'pending' }>) {
    const progress = result.progress ?? generation.progress;
    if (generation.status === 'QUEUED' && result.started) await lifecycle.markStarted(generation, progress);
    else if (generation.status === 'PROCESSING' && progress !== generation.progress) await lifecycle.recordProgress(generation, progress);
  }

  async function reschedule(job: Job, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(now() + delayMs, token);
    throw movedToDelayed;
  }

  async function cancelUpstream(connector: Connector, operation: Json, context: ConnectorContext) {
    try {
      await connector.cancel?.(operation, context);
    } catch (error) {
      context.log.warn({ err: error }, 'upstream cancel failed');
    }
  }

  /** The stored operation as the route's connector declared it; a record it cannot read is a fault, not a cast. */
  function storedOperation(connector: Connector, generation: Generation): Json | null {
    if (generation.operation === null) return null;
    const parsed = connector.operationSchema.safeParse(generation.operation);
    if (!parsed.success) throw new GatewayError('INTERNAL', `the stored upstream operation of route ${generation.route} is not readable`);
    return parsed.data;
  }

  async function step(job: Job<RunGenerationJob>, token: string | undefined, generation: Generation, route: ConnectedRoute) {
    const { connector, polling: policy } = route;
    const expectedMs = policy.followsEstimate ? (generation.estimatedTime ?? 0) * 1000 : 0;
    const context: ConnectorContext = { now, log: dependencies.log.child({ generationId: generation.id, provider: generation.provider, route: generation.route }), readMedia: dependencies.readMedia };
    let operation = storedOperation(connector, generation);
    if (generation.status === 'CANCELLED') {
      if (operation !== null) await cancelUpstream(connector, operation, context);
      return notify(generation);
    }
    if (isTerminal(generation.status)) return notify(generation);

    // Acquiring also renews a held slot's lease; a submitted generation renews only once half its lease has passed.
    const leaseIsFresh = generation.operation !== null && ConcurrencySlots.leaseIsFresh(generation, now());
    if (!leaseIsFresh && !(await holdSlots(generation, route)) && generation.operation === null) {
      return reschedule(job, token, nextPollDelay(slotRecheck, now() - generation.createdAt));
    }
    const request: SubmitRequest = {
      type: generation.type,
      input: route.route.takesUploads || !namesUploads(generation.input) ? generation.input : await dependencies.linkUploads(generation.input),
      options: generation.options,
      model: generation.model ?? '',
      generationId: generation.id,
      attempt: generation.attempts.length,
    };
    if (operation === null) {
      if ((await dependencies.circuits.admit(generation.provider, generation.route)) === 'open') {
        const failure = {
          code: 'PROVIDER_UNAVAILABLE' as const,
          message: `route ${generation.route} of ${generation.provider} is failing (circuit open); try again later or allow a fallback`,
          retryable: true,
        };
        return routeFailed(job, token, generation, failure, route, true);
      }
      operation = await upstreamCall(generation, 'submit', () => connector.submit(request, context));
      if (!(await lifecycle.markSubmitted(generation, operation))) return cancelUpstream(connector, operation, context);
      context.log.info('submitted upstream');
      // A task with an expected length is first asked about halfway through it; others after the route's initial delay.
      const firstPoll = expectedMs > 0 ? nextPollDelay(policy, now() - generation.createdAt, expectedMs) : policy.initialDelayMs;
      if (firstPoll > 0) return reschedule(job, token, firstPoll);
    }
    const pollable = operation;
    const result = await upstreamCall(generation, 'poll', () => connector.poll(pollable, context, request));
    if (result.status === 'pending') {
      if (result.operation !== undefined && (await lifecycle.replaceOperation(generation, result.operation))) return reschedule(job, token, 0);
      await recordProgress(generation, result);
      return reschedule(job, token, nextPollDelay(policy, now() - generation.createdAt, expectedMs));
    }
    if (result.status === 'completed') return complete(generation, result.outputs, result.costUsd);
    if (result.resubmit && generation.resubmissions < maxResubmissions && (await lifecycle.resubmit(generation))) {
      context.log.warn({ failure: result.message }, 'upstream internal error; submitting again');
      return reschedule(job, token, 0);
    }
    return routeFailed(job, token, generation, { code: result.code, message: result.message, retryable: result.retryable }, route);
  }

  return async function runGeneration(job: Job<RunGenerationJob>, token?: string) {
    const generation = await generations.get(job.data.generationId);
    if (!generation) return;
    let route: ConnectedRoute | null = null;
    try {
      route = registry.connectedRoute(generation.provider, generation.route);
      await step(job, token, generation, route);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      const gatewayError = error instanceof GatewayError ? error : new GatewayError('INTERNAL', 'internal error while running the generation', { retryable: true, cause: error });
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1;
      if (gatewayError.retryable && attemptsLeft > 0) {
        dependencies.log.warn({ generationId: generation.id, err: error, attemptsLeft }, 'generation step failed; retrying');
        throw error;
      }
      dependencies.log.warn({ generationId: generation.id, err: error }, 'generation step failed for good on its route');
      // The compare-and-set in fail() does nothing if the generation ended meanwhile.
      await routeFailed(job, token, generation, failureOf(gatewayError), route);
      throw new UnrecoverableError(gatewayError.message);
    }
  };
}

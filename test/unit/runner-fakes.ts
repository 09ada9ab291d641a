import { PNG } from 'pngjs';
import { z } from 'zod';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { type Generation, type Json, newGeneration } from '../../src/generations/generation.ts';
import { GenerationEndings, type WebhookEvent } from '../../src/generations/generation-endings.ts';
import { GenerationLifecycle } from '../../src/generations/generation-lifecycle.ts';
import type { GenerationRepository, TransitionRequest, TransitionTarget } from '../../src/generations/generation-repository.ts';
import { GenerationRunner, type StepOutcome } from '../../src/generations/generation-runner.ts';
import type { Admission } from '../../src/health/route-health.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { builtInProviders } from '../../src/providers/index.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';
import {
  type Connector,
  defineProvider,
  defineRoute,
  type PollingPolicy,
  type PollResult,
  type ProviderDefinition,
  type Route,
  type SettingsSpec,
  type SubmitRequest,
} from '../../src/providers/spec.ts';

/**
 * In-memory stand-ins for the runner's narrow dependencies (our own seams, not Redis or BullMQ): a record store that
 * applies transitions as the transition script does, scripted connectors, and recorders for slots, circuits, the
 * queue, webhooks and storage. No test using them opens a connection.
 */

export const sandboxDefinition = builtInProviders.find((provider) => provider.id === 'sandbox')!;

/** One scripted answer of a connector call: a value, or an error it throws. */
type Scripted<T> = T | Error;

export interface RouteScript {
  submits: Scripted<Json>[];
  polls: Scripted<PollResult>[];
  submitted: SubmitRequest[];
  cancelled: Json[];
}

const operationSchema = z.object({ task: z.string() });

/** A connector answering from `script` in order; unscripted, a submit makes a task and a poll says it is still pending. */
function scriptedConnector(script: RouteScript): Connector {
  let tasks = 0;
  const next = async <T>(queue: Scripted<T>[], otherwise: () => T): Promise<T> => {
    const answer = queue.length > 0 ? queue.shift()! : otherwise();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return {
    operationSchema,
    submit: (request) => {
      script.submitted.push(request);
      return next(script.submits, () => ({ task: `task_${++tasks}` }));
    },
    poll: () => next(script.polls, () => ({ status: 'pending', started: true })),
    cancel: async (operation) => void script.cancelled.push(operation),
  };
}

interface TestRouteOptions {
  id: string;
  polling?: PollingPolicy;
  chargesModeratedInput?: boolean;
  takesUploads?: boolean;
  maxConcurrency?: number;
}

const steadyPolling: PollingPolicy = { initialDelayMs: 0, intervalMs: 100, maxIntervalMs: 1000 };

function testProvider(id: string, usd: number, routes: Route[], qualityScore = 5): ProviderDefinition {
  return defineProvider({
    ...sandboxDefinition,
    id,
    name: id,
    types: ['VIDEO'],
    models: [`${id}-1`],
    qualityScore,
    quote: () => ({ usd, estimatedSeconds: 10, model: `${id}-1` }),
    polling: steadyPolling,
    routes,
  });
}

/**
 * The providers the runner tests run on (400 credits per US$): `alpha` (4 credits) on two plain routes, `beta` whose
 * route polls after 500 ms, keeps the charge for moderated input and runs one task at a time, and `pricey` (400 credits).
 */
export function testRegistry(scripts: Map<string, RouteScript>) {
  const route = ({ id, maxConcurrency, ...rest }: TestRouteOptions) => {
    const script: RouteScript = { submits: [], polls: [], submitted: [], cancelled: [] };
    scripts.set(id, script);
    const settings: SettingsSpec = maxConcurrency ? { maxConcurrency: { env: `UNIT_${id.toUpperCase()}_MAX`, schema: z.number().default(maxConcurrency), description: 'tasks at once' } } : {};
    return defineRoute({ id, settings, ...rest, connect: () => scriptedConnector(script) });
  };
  const providers = [
    sandboxDefinition,
    testProvider('alpha', 0.01, [route({ id: 'alpha-a' }), route({ id: 'alpha-b' })]),
    testProvider('beta', 0.01, [route({ id: 'beta', polling: { initialDelayMs: 500, intervalMs: 200, maxIntervalMs: 2000 }, chargesModeratedInput: true, maxConcurrency: 1 })]),
    testProvider('pricey', 1, [route({ id: 'pricey' })]),
  ];
  return new ProviderRegistry({ providers, hosts: [], settings: {}, creditsPerUsd: 400 });
}

/** Generation records kept in memory, changed by transitions exactly as the transition script changes them. */
export class MemoryGenerations implements Pick<GenerationRepository, 'transition' | 'transitionOutcome' | 'countRouteFailure'> {
  readonly records = new Map<string, Generation>();
  readonly settlements: Array<{ id: string; settlement: string; finalCost: number }> = [];
  /** The account's credits, for fallbacks to a dearer route. */
  balance = 1_000_000;

  get(id: string): Generation {
    return structuredClone(this.records.get(id)!);
  }

  async transitionOutcome(target: TransitionTarget, request: TransitionRequest): Promise<'made' | 'refused' | 'insufficient-credits'> {
    const record = this.records.get(target.id);
    if (!record || !request.from.includes(record.status)) return 'refused';
    const hasOperation = record.operation !== null;
    if ((request.operation === 'none' && hasOperation) || (request.operation === 'some' && !hasOperation)) return 'refused';
    const extra = request.finalCost ?? 0;
    if (request.settlement === 'topUp' && record.mode === 'live' && extra > 0) {
      if (this.balance < extra) return 'insufficient-credits';
      this.balance -= extra;
      record.creditsReserved += extra;
    }
    Object.assign(record, structuredClone(request.fields ?? {}), request.to ? { status: request.to } : {});
    const settlement = request.settlement === 'cancel' ? (hasOperation ? 'charge' : 'refund') : request.settlement;
    if (settlement && settlement !== 'none' && settlement !== 'topUp') this.settlements.push({ id: record.id, settlement, finalCost: extra });
    return 'made';
  }

  async transition(target: TransitionTarget, request: TransitionRequest): Promise<boolean> {
    return (await this.transitionOutcome(target, request)) === 'made';
  }

  async countRouteFailure(generationId: string): Promise<number> {
    const record = this.records.get(generationId)!;
    record.routeFailures += 1;
    return record.routeFailures;
  }
}

/** A tiny real PNG, so storing an output probes a real file. */
export const pngBytes = new Uint8Array(PNG.sync.write(new PNG({ width: 4, height: 2 })));

export interface RunnerHarnessOptions {
  attemptsPerRoute?: number;
  /** Whether the account's slot is free. */
  accountSlot?: boolean;
}

/** A runner over in-memory fakes, with everything it did recorded. */
export function runnerHarness({ attemptsPerRoute = 2, accountSlot = true }: RunnerHarnessOptions = {}) {
  let clock = 1_000_000;
  const now = () => clock;
  const scripts = new Map<string, RouteScript>();
  const registry = testRegistry(scripts);
  const generations = new MemoryGenerations();
  const lifecycle = new GenerationLifecycle(generations, now);
  const calls = {
    woken: [] as string[],
    webhooks: [] as Array<{ generationId: string; event: WebhookEvent }>,
    acquired: [] as string[],
    upstreamAcquired: [] as string[],
    circuitFailures: [] as string[],
    circuitSuccesses: [] as string[],
    stored: [] as string[],
  };
  const waiting = { account: [] as string[], upstream: [] as string[] };
  const admission = new Map<string, Admission>();
  const queue = { wake: async (id: string) => void calls.woken.push(id) };
  const slots = {
    acquire: async (generation: { id: string }) => {
      calls.acquired.push(generation.id);
      return accountSlot;
    },
    acquireUpstream: async (route: string) => {
      calls.upstreamAcquired.push(route);
      return true;
    },
    waitingHead: async () => waiting.account,
    upstreamWaitingHead: async () => waiting.upstream,
  };
  const endings = new GenerationEndings({ lifecycle, slots, queue, registry, webhooks: { enqueue: async (generationId, event) => void calls.webhooks.push({ generationId, event }) } });
  const runner = new GenerationRunner({
    lifecycle,
    endings,
    routeFailures: generations,
    circuits: {
      admit: async (provider, route) => admission.get(`${provider}/${route}`) ?? 'closed',
      recordSuccess: async (provider, route) => void calls.circuitSuccesses.push(`${provider}/${route}`),
      recordFailure: async (provider, route) => void calls.circuitFailures.push(`${provider}/${route}`),
    },
    registry,
    slots,
    queue,
    store: {
      put: async (key) => {
        calls.stored.push(key);
        return `http://127.0.0.1:4000/files/${key}`;
      },
      putFile: async (key) => `http://127.0.0.1:4000/files/${key}`,
      incomingPath: () => '/nonexistent/incoming',
    },
    downloadOutput: async () => ({ bytes: pngBytes }),
    readMedia: async () => ({ bytes: pngBytes, mimeType: 'image/png' }),
    linkUploads: async (input) => ({ ...input, image: 'http://127.0.0.1:4000/uploads/linked' }),
    retries: { attemptsPerRoute, baseDelayMs: 100 },
    now,
    log: createLogger('silent'),
  });

  let count = 0;
  /** A live generation, QUEUED on `alpha-a` with a webhook, unless `fields` say otherwise. */
  const create = (fields: Partial<Generation> = {}): Generation => {
    const generation = newGeneration({
      id: `gen_unit_${++count}`,
      accountId: 'acct_unit',
      mode: 'live',
      type: 'VIDEO',
      provider: 'alpha',
      model: 'alpha-1',
      route: 'alpha-a',
      status: 'QUEUED',
      input: { text: 'a lighthouse' },
      options: {},
      requestedOptions: {},
      priority: 'BALANCED',
      fallback: 'SAME_MODEL',
      webhookUrl: 'http://127.0.0.1:9/hook',
      creditCost: 4,
      creditsReserved: 4,
      concurrencyLimit: 2,
      estimatedTime: 10,
      createdAt: clock,
      ...fields,
    });
    generations.records.set(generation.id, structuredClone(generation));
    return generation;
  };

  /** One step on the record as it is now, as the job runs it. */
  const step = (id: string): Promise<StepOutcome> => runner.step(generations.get(id));

  return {
    runner,
    endings,
    registry,
    generations,
    scripts: (route: string) => scripts.get(route)!,
    calls,
    waiting,
    admission,
    create,
    step,
    advance: (ms: number) => {
      clock += ms;
    },
    now,
  };
}

export const temporaryOutage = () => new GatewayError('PROVIDER_UNAVAILABLE', 'upstream answered 503', { retryable: true });

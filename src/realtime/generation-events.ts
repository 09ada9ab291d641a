import type { Redis } from 'ioredis';
import { GatewayError } from '../errors/gateway-error.ts';
import { type Generation, type GenerationStatus, type GenerationType, isTerminal } from '../generations/generation.ts';
import { parseGenerationEvent } from '../generations/generation-event.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';

/** Called with the changed generation's id and its new state (null when the event did not carry it: read it). */
type Listener = (generationId: string, state: Generation | null) => void;

/**
 * Where this process hears of changes to generations (announced by the create and transition scripts, from any
 * process). One subscriber connection: an account's channel is subscribed while someone in this process
 * listens to it. ioredis subscribes again by itself after a reconnect.
 */
export class GenerationEventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber: Redis | null = null;

  constructor(
    private readonly connect: () => Redis,
    private readonly keys: RedisKeys,
  ) {}

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.connect();
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string, message: string) => {
      const event = parseGenerationEvent(message);
      if (!event) return;
      for (const listener of this.listeners.get(channel) ?? []) listener(event.id, event.generation ?? null);
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  /** Calls `listener` with the id of each generation of the account that changes; answers the function that stops it. */
  async listen(accountId: string, listener: Listener): Promise<() => void> {
    const channel = this.keys.generationEvents(accountId);
    let channelListeners = this.listeners.get(channel);
    if (!channelListeners) {
      channelListeners = new Set();
      this.listeners.set(channel, channelListeners);
      await this.connection().subscribe(channel);
    }
    channelListeners.add(listener);
    return () => {
      channelListeners.delete(listener);
      if (channelListeners.size > 0 || this.listeners.get(channel) !== channelListeners) return;
      this.listeners.delete(channel);
      this.subscriber?.unsubscribe(channel).catch(() => {});
    };
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.listeners.clear();
  }
}

/** Wakes one waiting consumer; wakes that arrive while it works are remembered as one. */
class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;

  ring() {
    this.pending = true;
    this.waiter?.();
  }

  async wait(signal: AbortSignal): Promise<void> {
    if (!this.pending && !signal.aborted) {
      let onAbort = () => {};
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        onAbort = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
      });
      signal.removeEventListener('abort', onAbort);
    }
    this.waiter = null;
    this.pending = false;
  }
}

const statusRank: Record<GenerationStatus, number> = { QUEUED: 0, PROCESSING: 1, COMPLETED: 2, FAILED: 2, CANCELLED: 2 };

/** Where a state stands in a generation's life: a fallback starts a new attempt; within one, status then progress only move on. */
const positionOf = (generation: Generation) => [generation.attempts.length, statusRank[generation.status], generation.progress ?? 0, generation.outputs.length];

/** Whether `next` is news after `last`: later in the generation's life, or the same point with something else changed. */
function isNews(next: Generation, last: Generation | undefined): boolean {
  if (!last) return true;
  const [a, b] = [positionOf(next), positionOf(last)];
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index]! > b[index]!;
  return JSON.stringify([next.status, next.route, next.error]) !== JSON.stringify([last.status, last.route, last.error]);
}

export interface WatchDependencies {
  hub: GenerationEventHub;
  /** Reads a generation the caller owns; throws NOT_FOUND otherwise. */
  read(generationId: string): Promise<Generation>;
}

/** Events for the watched generations, in arrival order, waiting to be turned into states. */
class Inbox {
  private readonly events: Array<{ id: string; state: Generation | null }> = [];
  private readonly wakeup = new Wakeup();

  push(id: string, state: Generation | null) {
    this.events.push({ id, state });
    this.wakeup.ring();
  }

  async take(signal: AbortSignal) {
    if (this.events.length === 0) await this.wakeup.wait(signal);
    return this.events.splice(0);
  }
}

/**
 * One generation's states as they change: the current one first, then each later one, in order, ending after a
 * terminal state. A state older than one already sent (an event that crossed the first read) is skipped.
 */
export async function* watchGeneration(dependencies: WatchDependencies, accountId: string, generationId: string, signal: AbortSignal): AsyncGenerator<Generation> {
  const inbox = new Inbox();
  const stop = await dependencies.hub.listen(accountId, (changedId, state) => {
    if (changedId === generationId) inbox.push(changedId, state);
  });
  try {
    let last: Generation = await dependencies.read(generationId);
    yield last;
    while (!isTerminal(last.status) && !signal.aborted) {
      for (const event of await inbox.take(signal)) {
        const next = event.state ?? (await dependencies.read(generationId));
        if (!isNews(next, last)) continue;
        last = next;
        yield next;
        if (isTerminal(next.status)) return;
      }
    }
  } finally {
    stop();
  }
}

export interface AccountWatchFilter {
  statuses?: GenerationStatus[] | null;
  type?: GenerationType | null;
}

/** Every change to the account's generations that passes the filter, from now on, in order per generation. */
export async function* watchAccount(dependencies: WatchDependencies, accountId: string, filter: AccountWatchFilter, signal: AbortSignal): AsyncGenerator<Generation> {
  const inbox = new Inbox();
  const stop = await dependencies.hub.listen(accountId, (generationId, state) => inbox.push(generationId, state));
  const lastOf = new Map<string, Generation>();
  const readIfOwned = (generationId: string) =>
    dependencies.read(generationId).catch((error: unknown) => {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND') return null;
      throw error;
    });
  try {
    while (!signal.aborted) {
      for (const event of await inbox.take(signal)) {
        const next = event.state ?? (await readIfOwned(event.id));
        if (!next || !isNews(next, lastOf.get(event.id))) continue;
        // A finished generation changes no more: forget it, so a long subscription does not grow.
        if (isTerminal(next.status)) lastOf.delete(event.id);
        else lastOf.set(event.id, next);
        if (filter.type && next.type !== filter.type) continue;
        if (filter.statuses?.length && !filter.statuses.includes(next.status)) continue;
        yield next;
      }
    }
  } finally {
    stop();
  }
}

/**
 * An async iterator over `watch(signal)` that a consumer can stop at any time, even while the watch waits for
 * the next change (an async generator's own `return()` would wait for that change first).
 */
export function stoppable<T>(watch: (signal: AbortSignal) => AsyncGenerator<T>): AsyncIterableIterator<T> & { stop(): void } {
  const controller = new AbortController();
  const inner = watch(controller.signal);
  const stop = () => controller.abort();
  return {
    next: () => inner.next(),
    return: async () => {
      stop();
      return inner.return(undefined);
    },
    throw: async (error: unknown) => {
      stop();
      return inner.throw(error);
    },
    stop,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * The generation once it has ended, or as it is when `timeoutMs` runs out (or `signal` aborts) first: for the APIs
 * that hold a response until the work is done (OpenAI's images and speech, Replicate's `Prefer: wait`, fal.run).
 */
export async function awaitGenerationEnd(dependencies: WatchDependencies, accountId: string, generationId: string, timeoutMs: number, signal?: AbortSignal): Promise<Generation> {
  const deadline = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
  let latest: Generation | null = null;
  for await (const state of watchGeneration(dependencies, accountId, generationId, deadline)) latest = state;
  return latest ?? dependencies.read(generationId);
}

import type { ConcurrencySlots } from '../billing/concurrency-slots.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { Generation } from './generation.ts';

/** How generations are handed to the workers (the job queue implements it). */
export interface GenerationScheduler {
  enqueue(generationId: string): Promise<void>;
  /** Runs a waiting step now instead of at its next check. */
  wake(generationId: string): Promise<void>;
}

/** What waking a route's line needs: who is first in it, how many the upstream runs at once, and the queue to wake them on. */
export interface UpstreamLineDependencies {
  queue: Pick<GenerationScheduler, 'wake'>;
  slots: Pick<ConcurrencySlots, 'upstreamWaitingHead'>;
  registry: Pick<ProviderRegistry, 'maxConcurrency'>;
}

/** Waking both lines a generation stood in: its account's and its route's. */
export interface SlotLineDependencies extends UpstreamLineDependencies {
  slots: Pick<ConcurrencySlots, 'waitingHead' | 'upstreamWaitingHead'>;
}

/** A route's upstream slot was freed: the generations first in line for one try again now rather than at their next check. */
export async function wakeUpstreamLine(dependencies: UpstreamLineDependencies, freed: Pick<Generation, 'provider' | 'route'>) {
  const limit = dependencies.registry.maxConcurrency(freed.provider, freed.route);
  if (limit === null) return;
  const next = await dependencies.slots.upstreamWaitingHead(freed.route, limit);
  await Promise.all(next.map((id) => dependencies.queue.wake(id)));
}

/** A generation ended and freed its account's slot and its route's upstream slot: whoever waits first in either line goes now. */
export async function wakeNextInLine(dependencies: SlotLineDependencies, ended: Pick<Generation, 'accountId' | 'concurrencyLimit' | 'provider' | 'route'>) {
  const next = await dependencies.slots.waitingHead(ended.accountId, ended.concurrencyLimit);
  await Promise.all([...next.map((id) => dependencies.queue.wake(id)), wakeUpstreamLine(dependencies, ended)]);
}

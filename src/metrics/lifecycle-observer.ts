import type { Generation } from '../generations/generation.ts';
import type { TransitionObserver } from '../generations/generation-lifecycle.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from './metrics.ts';

const finalStatusOf = { complete: 'COMPLETED', fail: 'FAILED', cancel: 'CANCELLED' } as const;

/** One log line and the metrics for each transition an operator cares about: submitted, completed, failed, cancelled, fell back. */
export function observeLifecycle(log: Logger, metrics: Metrics, now: () => number = Date.now): TransitionObserver {
  return (name, generation, change) => {
    const { id, provider = 'unknown', route, type = 'unknown' } = generation as Partial<Generation> & { id: string; route: string };
    const line = { generationId: id, provider, route, type };
    if (name === 'markSubmitted') {
      metrics.generationsSubmitted.inc({ provider, route, type });
      log.info({ ...line, event: 'generation.submitted' }, 'generation submitted');
      return;
    }
    if (name === 'fallBack') {
      log.warn({ ...line, event: 'generation.fell_back', to: { provider: change.fields?.provider, route: change.fields?.route } }, 'generation moved to its fallback route');
      return;
    }
    if (!(name in finalStatusOf)) return;
    const status = finalStatusOf[name as keyof typeof finalStatusOf];
    const durationMs = generation.createdAt ? now() - generation.createdAt : undefined;
    metrics.generationsEnded.inc({ provider, type, status });
    if (durationMs !== undefined) metrics.generationDuration.observe({ provider, type, status }, durationMs / 1000);
    if (status === 'COMPLETED' && generation.mode === 'live' && change.finalCost) metrics.creditsCharged.inc({ provider }, change.finalCost);
    const error = change.fields?.error;
    const event = `generation.${status.toLowerCase()}`;
    if (status === 'FAILED') log.warn({ ...line, event, durationMs, code: error?.code, error: error?.message }, 'generation failed');
    else log.info({ ...line, event, durationMs }, `generation ${status.toLowerCase()}`);
  };
}

import { tracingSettings } from './config.ts';
import { startTracing } from './telemetry/tracing.ts';

// Tracing starts before the gateway's modules load, so its import hook can instrument them; off, it loads nothing.
const stopTracing = await startTracing(tracingSettings('genway'));
const { runProcess } = await import('./bootstrap.ts');

/** The embedded default: API and worker in one process, with a private Redis when REDIS_URL is unset. */
await runProcess({ api: true, worker: true }, stopTracing);

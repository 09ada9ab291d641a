import { tracingSettings } from './config.ts';
import { startTracing } from './telemetry/tracing.ts';

// Tracing starts before the gateway's modules load, so its import hook can instrument them; off, it loads nothing.
const stopTracing = await startTracing(tracingSettings('genway-worker'));
const { runProcess } = await import('./bootstrap.ts');

await runProcess({ api: false, worker: true }, stopTracing);

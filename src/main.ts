import { runProcess } from './bootstrap.ts';

/** The embedded default: API and worker in one process, with a private Redis when REDIS_URL is unset. */
await runProcess({ api: true, worker: true });

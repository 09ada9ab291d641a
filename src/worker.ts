import { runProcess } from './bootstrap.ts';

await runProcess({ api: false, worker: true });

import { runProcess } from './bootstrap.ts';

await runProcess({ api: true, worker: false });

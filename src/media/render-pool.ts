import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RenderJob } from './render-worker.ts';

export type { RenderJob };

/** The worker file beside this one: render-worker.ts from source (run through tsx), render-worker.js once compiled. */
const extension = path.extname(fileURLToPath(import.meta.url));
const workerFile = new URL(`./render-worker${extension}`, import.meta.url).href;

let pool: Piscina | null = null;

/**
 * Makes a sandbox output on a worker thread, so the API and the worker's polling keep their event loop while a video
 * encodes. Threads start on first use and leave after a minute idle.
 */
export function renderOffThread(job: RenderJob): Promise<Uint8Array> {
  pool ??= new Piscina({
    filename: workerFile,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
    idleTimeout: 60_000,
    execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
  });
  return pool.run(job);
}

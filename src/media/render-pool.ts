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
 *
 * `atomics: 'disabled'`: with piscina's default a thread waits for its next task inside the last task's microtask and
 * never returns to its event loop while tasks keep coming, so nothing queued with `process.nextTick` ever runs. pngjs
 * queues one per image holding its pixels, and a busy worker kept every image it ever made (4 MB per 1024×1024).
 */
export function renderOffThread(job: RenderJob): Promise<Uint8Array> {
  pool ??= new Piscina({
    filename: workerFile,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
    idleTimeout: 60_000,
    atomics: 'disabled',
    execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
  });
  return pool.run(job);
}

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../src/redis/redis-server-process.ts';
import { freePort } from './free-port.ts';
import { repositoryRoot } from './processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One real redis-server for the whole run, on a free loopback port with a temp dir; test files isolate by key prefix. */
export default async function setup(project: TestProject) {
  // Process tests run dist/ as production does; rebuild it when a source changed since the last build.
  execFileSync(process.execPath, [path.join(repositoryRoot, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genway-redis-'));
  const server = await startRedisServer({ dir, port: await freePort() });
  project.provide('redisUrl', server.address);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

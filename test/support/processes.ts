import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The compiled file `npm start` runs for a source entry point: src/worker.ts → dist/worker.js. */
export const compiledEntryPoint = (entry: string) => path.join(repositoryRoot, entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'));

/** Runs one of our entry points (src/worker.ts, src/cli/admin.ts …) as a real process, compiled as production runs it. */
export function spawnEntryPoint(entry: string, env: Record<string, string>, args: string[] = [], cwd = repositoryRoot, nodeArgs: string[] = []): ChildProcess & { output: () => string } {
  // Our own entry points run compiled, as in production; test and bench helpers run from TypeScript through tsx.
  const command = entry.startsWith('src/') ? [compiledEntryPoint(entry)] : ['--import', 'tsx', path.join(repositoryRoot, entry)];
  const child = spawn(process.execPath, [...nodeArgs, ...command, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

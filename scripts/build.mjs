#!/usr/bin/env node
// Compiles src/ to dist/ (tsc, then the .lua scripts beside the JavaScript that loads them), and the web console
// (console/, with Vite) to dist/console.
// With --if-stale it does nothing when dist/ is newer than every source, so `npm start` pays for a build only after a change.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'src');
const consoleDir = path.join(root, 'console');
const outputDir = path.join(root, 'dist');
const stamp = path.join(outputDir, '.build-stamp');

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

function isStale() {
  if (!existsSync(sourceDir)) return false; // an image that ships dist/ alone
  if (!existsSync(stamp)) return true;
  const builtAt = statSync(stamp).mtimeMs;
  const consoleFiles = existsSync(consoleDir) ? [...filesUnder(consoleDir)] : [];
  const inputs = [...filesUnder(sourceDir), ...consoleFiles, path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json')];
  return inputs.some((file) => statSync(file).mtimeMs > builtAt);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

try {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
} catch {
  process.stderr.write('genway: the TypeScript build failed (see above)\n');
  process.exit(1);
}
for (const file of filesUnder(sourceDir)) {
  if (!file.endsWith('.lua')) continue;
  const target = path.join(outputDir, path.relative(sourceDir, file));
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
}
if (existsSync(consoleDir)) {
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(consoleDir, 'vite.config.ts')], { stdio: 'inherit' });
  } catch {
    process.stderr.write('genway: the console build failed (see above)\n');
    process.exit(1);
  }
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);

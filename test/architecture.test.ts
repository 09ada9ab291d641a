import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BenchResults, withBenchTable } from '../bench/readme-table.ts';
import { clientTypesFile, clientTypesSource } from '../src/cli/client-types.ts';
import { providerEnvExample, providerTable, withProviderSettings, withProviderTable } from '../src/cli/provider-docs.ts';
import { configSchema } from '../src/config.ts';
import { builtInProviders } from '../src/providers/index.ts';
import { providerSettings } from '../src/providers/registry.ts';
import { repositoryRoot } from './support/processes.ts';

const sourceRoot = path.join(repositoryRoot, 'src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * The folder a file belongs to, as the architecture counts them: src/<concern>, src/providers/<provider> (the adapter
 * contract, providers/spec.ts, on its own) or src/surfaces/<surface>. The files directly in src/ are the composition
 * root, `(root)`, except config.ts, which every layer may read: `config`.
 */
function folderOf(file: string): string {
  const parts = path.relative(sourceRoot, file).split(path.sep);
  if (parts.length === 1) return parts[0] === 'config.ts' ? 'config' : '(root)';
  if (parts.join('/') === 'providers/spec.ts') return 'providers/spec';
  return (parts[0] === 'providers' || parts[0] === 'surfaces') && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const isRoot = (folder: string) => folder === '(root)' || folder === 'config';

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((match) => path.resolve(path.dirname(file), match[1]!));
}

/**
 * Folder-level import graph of src/ (relative imports only). Without `withRoot`, the files directly in src/ are left
 * out; with it, they are the nodes `(root)` and `config`.
 */
function folderGraph({ withRoot = false } = {}): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(sourceRoot)) {
    const from = folderOf(file);
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to !== from && (withRoot || (!isRoot(from) && !isRoot(to)))) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    if (state.get(node) === 'done') return null;
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('architecture', () => {
  it('has no import cycle between folders of src/ (each provider folder counts as its own)', () => {
    expect(findCycle(folderGraph())).toBeNull();
  });

  it('has no import cycle with the files directly in src/ counted too (the composition root one node, config.ts another)', () => {
    expect(findCycle(folderGraph({ withRoot: true }))).toBeNull();
  });

  it('lets no folder import a file directly in src/ but config.ts: the composition root imports folders, never the reverse', () => {
    // src/cli holds entry points of its own (`npm run admin`, `npm run docs`), which start up the way the root's do.
    const entryPoints = new Set(['cli']);
    const upward = [...folderGraph({ withRoot: true })].flatMap(([from, targets]) => (isRoot(from) || entryPoints.has(from) || !targets.has('(root)') ? [] : [from]));
    expect(upward).toEqual([]);
  });

  it('imports gateway.ts, the whole of the wiring, only in the composition root (the files directly in src/)', () => {
    const gatewayFile = path.join(sourceRoot, 'gateway.ts');
    const importers = sourceFiles(sourceRoot).filter((file) => path.dirname(file) !== sourceRoot && importsOf(file).includes(gatewayFile));
    expect(importers.map((file) => path.relative(repositoryRoot, file))).toEqual([]);
  });

  it('keeps every API surface to itself: src/surfaces/<surface> imports no other surface', () => {
    const surfaces = readdirSync(path.join(sourceRoot, 'surfaces'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(surfaces.length).toBeGreaterThan(0);
    const crossings = [...folderGraph()].flatMap(([from, targets]) => (from.startsWith('surfaces/') ? [...targets].filter((to) => to.startsWith('surfaces/')).map((to) => `${from} -> ${to}`) : []));
    expect(crossings).toEqual([]);
  });

  it('keeps every provider to itself: a provider folder imports only the spec, providers/shared and folders outside providers/', () => {
    const crossings = [...folderGraph()].flatMap(([from, targets]) =>
      from.startsWith('providers/') ? [...targets].filter((to) => to.startsWith('providers/') && to !== 'providers/shared' && to !== 'providers/spec').map((to) => `${from} -> ${to}`) : [],
    );
    expect(crossings).toEqual([]);
  });

  it('reads process.env only in config.ts', () => {
    const readers = sourceFiles(sourceRoot).filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')));
    expect(readers.map((file) => path.relative(repositoryRoot, file))).toEqual(['src/config.ts']);
  });

  it("config reads every setting of every provider's routes", () => {
    const read = Object.keys(configSchema.in.shape);
    expect([...providerSettings(builtInProviders).keys()].filter((env) => !read.includes(env))).toEqual([]);
  });

  it(".env.example documents every setting the config reads, the providers' included", () => {
    const example = readFileSync(path.join(repositoryRoot, '.env.example'), 'utf8');
    const undocumented = Object.keys(configSchema.in.shape).filter((name) => !new RegExp(`^${name}=`, 'm').test(example));
    expect(undocumented).toEqual([]);
  });

  it("the README's provider table is the one `npm run docs` writes from the catalog", () => {
    const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
    expect(withProviderTable(readme, providerTable(builtInProviders))).toBe(readme);
  });

  it("the README's benchmark table is the one `npm run bench` writes from bench/results/latest.json", () => {
    const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
    const results = JSON.parse(readFileSync(path.join(repositoryRoot, 'bench/results/latest.json'), 'utf8')) as BenchResults;
    expect(withBenchTable(readme, results)).toBe(readme);
  });

  it('the provider part of .env.example is the one `npm run docs` writes from the settings', () => {
    const example = readFileSync(path.join(repositoryRoot, '.env.example'), 'utf8');
    expect(withProviderSettings(example, providerEnvExample(builtInProviders))).toBe(example);
  });

  it("the client's types are the ones `npm run docs` generates from schema/", async () => {
    expect(readFileSync(path.join(repositoryRoot, clientTypesFile), 'utf8')).toBe(await clientTypesSource());
  });

  it('the client imports only its own types and two browser-safe packages: no Node APIs, nothing of the gateway', () => {
    const specifiers = sourceFiles(path.join(sourceRoot, 'client')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]!),
    );
    expect(new Set(specifiers)).toEqual(new Set(['./schema-types.ts', 'graphql-ws/client', 'standardwebhooks']));
  });
});

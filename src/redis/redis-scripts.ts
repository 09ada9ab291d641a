import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export interface ScriptDefinition {
  /** The command name ioredis adds to the client, e.g. `genwayTransition`. */
  name: string;
  /** The `.lua` file, usually `new URL('./x.lua', import.meta.url)`. */
  file: URL;
  numberOfKeys: number;
  /** Numbers the script reads by name; each becomes a `local NAME = value` line above the script. */
  constants?: Record<string, number>;
}

const includeLine = /^--\s*#include\s+(\S+)\s*$/gm;

/** The script's text with every `-- #include other.lua` line replaced by that file (relative to the including one). */
export function readScript(file: URL, seen = new Set<string>()): string {
  if (seen.has(file.href)) throw new Error(`${file.pathname} includes itself`);
  const text = readFileSync(file, 'utf8');
  return text.replace(includeLine, (_line, relative: string) => readScript(new URL(relative, file), new Set([...seen, file.href])));
}

function scriptSource(definition: ScriptDefinition): string {
  const constants = Object.entries(definition.constants ?? {}).map(([name, value]) => `local ${name} = ${value}\n`);
  return `${constants.join('')}${readScript(definition.file)}`;
}

/** Registers scripts as ioredis commands once per client; ioredis then runs them by SHA and reloads them after a restart. */
export function registerScripts(redis: Redis, definitions: ScriptDefinition[]): void {
  for (const definition of definitions) {
    if (definition.name in redis) continue;
    redis.defineCommand(definition.name, { numberOfKeys: definition.numberOfKeys, lua: scriptSource(definition) });
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/processes.ts';

const providerFolder = path.join(repositoryRoot, 'src', 'ai-sdk');

describe('genway/ai-sdk is client code', () => {
  it('imports only its own files, the typed client and the SDK spec: nothing of the gateway, no Node APIs', () => {
    const files = readdirSync(providerFolder).filter((name) => name.endsWith('.ts'));
    const specifiers = files.flatMap((name) => [...readFileSync(path.join(providerFolder, name), 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]!));
    const outside = specifiers.filter((specifier) => !/^\.\/[a-z-]+\.ts$/.test(specifier) && specifier !== '../client/index.ts' && specifier !== '@ai-sdk/provider');
    expect(outside).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers.ts';

export const schemaDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema');

/** The SDL files in schema/ are the contract; resolvers make them executable. */
export function loadTypeDefs(): string[] {
  return readdirSync(schemaDirectory)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(path.join(schemaDirectory, name), 'utf8'));
}

export function buildGraphQLSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}

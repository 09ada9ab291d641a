import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import { parse } from 'graphql';
import { loadTypeDefs } from '../graphql/graphql-schema.ts';

export const clientTypesFile = 'src/client/schema-types.ts';

/** The client's TypeScript types, generated from schema/ by GraphQL Code Generator (never written by hand). */
export async function clientTypesSource(): Promise<string> {
  const generated = await codegen({
    schema: parse(loadTypeDefs().join('\n')),
    documents: [],
    filename: clientTypesFile,
    plugins: [{ typescript: {} }],
    pluginMap: { typescript: typescriptPlugin },
    config: {
      enumsAsTypes: true,
      avoidOptionals: { field: true, inputValue: false, object: true },
      maybeValue: 'T | null',
      scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
      skipTypename: true,
    },
  });
  return `// Generated from schema/ by \`npm run docs\` (GraphQL Code Generator). Do not edit.\n${generated}`;
}

import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import { buildASTSchema, type GraphQLObjectType, getNamedType, isObjectType, parse } from 'graphql';
import { loadTypeDefs } from '../surfaces/graphql/graphql-schema.ts';

export const clientTypesFile = 'src/client/schema-types.ts';

/** The client's TypeScript types, generated from schema/ by GraphQL Code Generator (never written by hand). */
export async function clientTypesSource(): Promise<string> {
  const schema = parse(loadTypeDefs().join('\n'));
  const generated = await codegen({
    schema,
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
  const generation = buildASTSchema(schema).getType('Generation') as GraphQLObjectType;
  const selection = `\n/** Every field of a generation, nested ones included: what the client and the console ask for. */\nexport const generationSelection = ${JSON.stringify(selectionOf(generation))};\n`;
  return `// Generated from schema/ by \`npm run docs\` (GraphQL Code Generator). Do not edit.\n${generated}${selection}`;
}

/** A selection of every field of `type` that takes no required argument, objects down to their leaves (never back up). */
function selectionOf(type: GraphQLObjectType, within: ReadonlySet<string> = new Set([type.name])): string {
  const fields = Object.values(type.getFields()).filter((field) => !field.args.some((argument) => argument.type.toString().endsWith('!')));
  return fields
    .flatMap((field) => {
      const named = getNamedType(field.type);
      if (!isObjectType(named)) return [field.name];
      return within.has(named.name) ? [] : [`${field.name} { ${selectionOf(named, new Set([...within, named.name]))} }`];
    })
    .join(' ');
}

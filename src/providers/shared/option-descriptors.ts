import { z } from 'zod';

/** One provider option as the `providers` query shows it; derived from the zod schema, never written by hand. */
export interface OptionDescriptor {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  allowedValues: string[] | null;
  defaultValue: unknown;
  minimum: number | null;
  maximum: number | null;
}

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
}

export function describeOptions(schema: z.ZodType): OptionDescriptor[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties ?? {}).map(([name, node]) => ({
    name,
    type: typeOf(node),
    required: required.has(name) && node.default === undefined,
    description: node.description ?? null,
    allowedValues: allowedValuesOf(node),
    defaultValue: node.default ?? null,
    minimum: node.minimum ?? null,
    maximum: node.maximum ?? null,
  }));
}

function alternatives(node: JsonSchemaNode): JsonSchemaNode[] {
  return node.anyOf ?? node.oneOf ?? [node];
}

function typeOf(node: JsonSchemaNode): string {
  const types = new Set<string>();
  for (const alternative of alternatives(node)) {
    const declared = alternative.type ?? (alternative.const !== undefined ? typeof alternative.const : undefined);
    for (const type of [declared].flat()) if (type && type !== 'null') types.add(type === 'array' ? `array<${alternative.items ? typeOf(alternative.items) : 'any'}>` : type);
  }
  return [...types].join('|') || 'any';
}

function allowedValuesOf(node: JsonSchemaNode): string[] | null {
  const values: unknown[] = [];
  for (const alternative of alternatives(node)) {
    if (alternative.enum) values.push(...alternative.enum);
    else if (alternative.const !== undefined) values.push(alternative.const);
    else return null;
  }
  return values.length > 0 ? values.map(String) : null;
}

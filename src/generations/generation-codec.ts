import { type Generation, generationFieldKinds } from './generation.ts';

const kindOf = (name: string) => generationFieldKinds[name as keyof Generation];

/** Flattens a generation into Redis hash fields: scalars as strings, structures as JSON. */
export function encodeFields(fields: Partial<Generation>): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const encoded = kindOf(name) === 'json' ? JSON.stringify(value) : value === null ? '' : String(value);
    flat.push(name, encoded);
  }
  return flat;
}

function decodeField(kind: (typeof generationFieldKinds)[keyof Generation], stored: string | undefined): unknown {
  if (kind === 'json') return stored ? JSON.parse(stored) : null;
  if (kind === 'number') return Number(stored ?? 0);
  if (kind === 'optionalNumber' || kind === 'optionalText') return stored ? (kind === 'optionalNumber' ? Number(stored) : stored) : null;
  return stored;
}

export function decodeGeneration(hash: Record<string, string>): Generation | null {
  if (!hash.id) return null;
  const record: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(generationFieldKinds)) record[name] = decodeField(kind, hash[name]);
  // Records written before routes existed named the route `executor`; before updatedAt, their creation is the best known.
  record.route = hash.route || hash.executor;
  record.updatedAt = hash.updatedAt ? Number(hash.updatedAt) : record.createdAt;
  record.outputs = record.outputs ?? [];
  record.input = record.input ?? {};
  record.options = record.options ?? {};
  record.requestedOptions = record.requestedOptions ?? {};
  record.fallback = record.fallback ?? 'SAME_MODEL';
  record.attempts = record.attempts ?? [];
  record.webhookFormat = record.webhookFormat ?? 'genway';
  return record as unknown as Generation;
}

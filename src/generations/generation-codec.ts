import type { Generation } from './generation.ts';

const jsonFields = ['input', 'options', 'requestedOptions', 'fallback', 'attempts', 'outputs', 'metadata', 'error', 'operation'] as const;
const numberFields = ['progress', 'creditCost', 'creditsReserved', 'concurrencyLimit', 'estimatedTime', 'createdAt', 'resubmissions', 'routeFailures'] as const;
const optionalNumberFields = ['startedAt', 'completedAt', 'slotLeaseUntil'] as const;

/** Flattens a generation into Redis hash fields: scalars as strings, structures as JSON. */
export function encodeFields(fields: Partial<Generation>): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const encoded = (jsonFields as readonly string[]).includes(name) ? JSON.stringify(value) : value === null ? '' : String(value);
    flat.push(name, encoded);
  }
  return flat;
}

export function decodeGeneration(hash: Record<string, string>): Generation | null {
  if (!hash.id) return null;
  const record: Record<string, unknown> = { ...hash };
  for (const name of jsonFields) record[name] = hash[name] ? JSON.parse(hash[name]) : null;
  for (const name of numberFields) record[name] = Number(hash[name] ?? 0);
  for (const name of optionalNumberFields) record[name] = hash[name] ? Number(hash[name]) : null;
  record.model = hash.model || null;
  record.webhookUrl = hash.webhookUrl || null;
  // Records written before routes existed named the route `executor`.
  record.route = hash.route || hash.executor;
  delete record.executor;
  record.outputs = record.outputs ?? [];
  record.input = record.input ?? {};
  record.options = record.options ?? {};
  record.requestedOptions = record.requestedOptions ?? {};
  record.fallback = record.fallback ?? 'SAME_MODEL';
  record.attempts = record.attempts ?? [];
  return record as unknown as Generation;
}

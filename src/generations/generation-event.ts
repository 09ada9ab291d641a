import type { Generation } from './generation.ts';

/** What travels on an account's channel when one of its generations changes: its id and, when known whole, its new state. */
export interface GenerationEvent {
  id: string;
  generation?: Generation;
}

const isWhole = (generation: Partial<Generation>): generation is Generation => generation.createdAt !== undefined && generation.status !== undefined && generation.type !== undefined;

/**
 * The event for a generation's new state. The state travels whole (without its inputs, which may be large data URIs,
 * and its upstream operation), so a subscriber sees each state even when the next follows within a millisecond.
 */
export function generationEventMessage(generation: Pick<Generation, 'id'> & Partial<Generation>): string {
  const event: GenerationEvent = { id: generation.id };
  if (isWhole(generation)) event.generation = { ...generation, input: {}, requestedOptions: {}, operation: null };
  return JSON.stringify(event);
}

export function parseGenerationEvent(message: string): GenerationEvent | null {
  try {
    return JSON.parse(message) as GenerationEvent;
  } catch {
    return null;
  }
}

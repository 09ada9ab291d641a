import type { ErrorCode } from '../errors/gateway-error.ts';
import type { MediaMetadata } from '../media/media-metadata.ts';

import type { GenerationInput, GenerationType, Json } from '../shared/media-request.ts';

export { type GenerationInput, type GenerationType, generationTypes, type Json } from '../shared/media-request.ts';

export const generationStatuses = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];
export const activeStatuses: GenerationStatus[] = ['QUEUED', 'PROCESSING'];
export const isTerminal = (status: GenerationStatus) => !activeStatuses.includes(status);

export const priorities = ['QUALITY', 'SPEED', 'COST', 'BALANCED'] as const;
export type Priority = (typeof priorities)[number];

export type { KeyMode } from '../billing/api-keys.ts';

import type { KeyMode } from '../billing/api-keys.ts';

/** Where a generation may go when its route fails in a way another could fix: its model's other routes (default), any provider that accepts it, none, or these providers in order. */
export type Fallback = 'SAME_MODEL' | 'ANY' | 'NONE' | string[];

/** The body a generation's webhooks carry: genway's own, or Replicate's prediction object (its surface renders it). */
export const webhookFormats = ['genway', 'replicate'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];

/** The moments a webhook may be sent for: the upstream started the work, or the generation ended (completed, failed, cancelled). */
export const webhookMoments = ['started', 'ended'] as const;
export type WebhookMoment = (typeof webhookMoments)[number];

/** A route tried before the one the generation is on, and how it ended. */
export interface GenerationAttempt {
  provider: string;
  route: string;
  code: ErrorCode;
  message: string;
  at: number;
}

export interface GenerationFailure {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  /** The input field at fault, when the upstream refused the request for one of its values. */
  field?: string;
}

export interface Generation {
  id: string;
  accountId: string;
  mode: KeyMode;
  type: GenerationType;
  provider: string;
  model: string | null;
  /** The upstream route that runs it (the provider's own API, a host of the same model, or `sandbox` for test keys). */
  route: string;
  status: GenerationStatus;
  input: GenerationInput;
  options: Record<string, unknown>;
  /** The options as the client sent them, for planning a fallback on another provider. */
  requestedOptions: Record<string, unknown>;
  priority: Priority;
  fallback: Fallback;
  /** Routes tried before this one, oldest first. */
  attempts: GenerationAttempt[];
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
  /** When its webhooks are sent; null: when it ends (genway's behaviour). */
  webhookMoments: WebhookMoment[] | null;
  /** When it is cancelled if it has not ended (Replicate's `Cancel-After`); null: never. */
  deadline: number | null;
  progress: number;
  outputs: string[];
  metadata: MediaMetadata | null;
  creditCost: number;
  creditsReserved: number;
  /** The account's concurrent-generation limit when this was created. */
  concurrencyLimit: number;
  estimatedTime: number;
  error: GenerationFailure | null;
  /** The provider's opaque handle for polling, once submitted. */
  operation: Json | null;
  /** How many times the gateway submitted again after an upstream internal error. */
  resubmissions: number;
  /** Steps that failed temporarily on the current route (its retry budget counts them); a fallback starts again at 0. */
  routeFailures: number;
  /** When its concurrency slot's lease ends, once it has one (written by the slot script). */
  slotLeaseUntil: number | null;
  createdAt: number;
  /** When any change was last made to it: its creation, a transition, its progress. */
  updatedAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/**
 * How each field is kept in its Redis hash: a string, a number, a number or null, or JSON. Every field must say,
 * so a field added to `Generation` is declared here beside it (and nowhere else to be stored and read).
 */
export const generationFieldKinds = {
  id: 'text',
  accountId: 'text',
  mode: 'text',
  type: 'text',
  provider: 'text',
  model: 'optionalText',
  route: 'text',
  status: 'text',
  input: 'json',
  options: 'json',
  requestedOptions: 'json',
  priority: 'text',
  fallback: 'json',
  attempts: 'json',
  webhookUrl: 'optionalText',
  webhookFormat: 'text',
  webhookMoments: 'json',
  deadline: 'optionalNumber',
  progress: 'number',
  outputs: 'json',
  metadata: 'json',
  creditCost: 'number',
  creditsReserved: 'number',
  concurrencyLimit: 'number',
  estimatedTime: 'number',
  error: 'json',
  operation: 'json',
  resubmissions: 'number',
  routeFailures: 'number',
  slotLeaseUntil: 'optionalNumber',
  createdAt: 'number',
  updatedAt: 'number',
  startedAt: 'optionalNumber',
  completedAt: 'optionalNumber',
} as const satisfies Record<keyof Generation, 'text' | 'optionalText' | 'number' | 'optionalNumber' | 'json'>;

type StartingField = 'status' | 'attempts' | 'progress' | 'outputs' | 'metadata' | 'error' | 'operation' | 'resubmissions' | 'routeFailures' | 'slotLeaseUntil' | 'startedAt' | 'completedAt';

/** What a new generation starts with; a field added to `Generation` gets its starting value here. */
const startingState = (): Pick<Generation, StartingField> => ({
  status: 'QUEUED',
  attempts: [],
  progress: 0,
  outputs: [],
  metadata: null,
  error: null,
  operation: null,
  resubmissions: 0,
  routeFailures: 0,
  slotLeaseUntil: null,
  startedAt: null,
  completedAt: null,
});

/** Request fields most generations leave unset, with what unset means. */
type DefaultedField = 'webhookFormat' | 'webhookMoments' | 'deadline';
const defaults = (): Pick<Generation, DefaultedField> => ({ webhookFormat: 'genway', webhookMoments: null, deadline: null });

export type NewGeneration = Omit<Generation, StartingField | DefaultedField | 'updatedAt'> & Partial<Pick<Generation, StartingField | DefaultedField | 'updatedAt'>>;

/** A generation as it is created: the request's fields over the starting state; last changed when it was created. */
export function newGeneration(fields: NewGeneration): Generation {
  return { ...startingState(), ...defaults(), updatedAt: fields.createdAt, ...fields };
}

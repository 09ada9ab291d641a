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

export interface GenerationFailure {
  code: ErrorCode;
  message: string;
  retryable: boolean;
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
  priority: Priority;
  webhookUrl: string | null;
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
  /** When its concurrency slot's lease ends, once it has one (written by the slot script). */
  slotLeaseUntil: number | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

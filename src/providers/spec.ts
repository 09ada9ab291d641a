import type { z } from 'zod';
import type { ErrorCode } from '../errors/gateway-error.ts';
import type { GenerationInput, GenerationType, Json } from '../generations/generation.ts';
import type { Logger } from '../logging/logger.ts';

/** A request after validation: `options` has passed the provider's own schema. */
export interface GenerationRequest<Options = Record<string, unknown>> {
  type: GenerationType;
  input: GenerationInput;
  options: Options;
}

/** A provider's price for one request, in US dollars; the gateway converts it to credits. */
export interface Quote {
  usd: number;
  estimatedSeconds: number;
  model: string;
}

/** How often the worker should ask an upstream for news; it backs off from `intervalMs` to `maxIntervalMs`. */
export interface PollingPolicy {
  initialDelayMs: number;
  intervalMs: number;
  maxIntervalMs: number;
}

/**
 * What a provider is, what it accepts and what it costs: pure data and pure functions.
 * Test keys use this half alone (validation and pricing) and run on the sandbox.
 */
export interface ProviderDefinition<Options extends Record<string, unknown> = Record<string, any>> {
  id: string;
  name: string;
  description: string;
  types: GenerationType[];
  models: string[];
  features: string[];
  limitations: string[];
  /** 1–10: how the provider ranks for `priority: QUALITY` and in the balanced score. */
  qualityScore: number;
  optionsSchema: z.ZodType<Options>;
  /** Checks the inputs this provider needs or refuses; returns the offending field and why, or null. */
  checkInput(request: GenerationRequest<Options>): InputProblem | null;
  quote(request: GenerationRequest<Options>): Quote;
  polling: PollingPolicy;
  /** True when the upstream keeps the charge for input it refused on moderation grounds (Runway's SAFETY.INPUT). */
  chargesModeratedInput?: boolean;
  /** The live half, or null when its credentials are not configured. */
  connect?(settings: ProviderSettings): ProviderConnector | null;
}

export interface InputProblem {
  field: string;
  message: string;
}

/** Provider credentials and endpoints, read from config by the registry. */
export type ProviderSettings = Record<string, string | undefined>;

export interface SubmitRequest<Options = Record<string, unknown>> extends GenerationRequest<Options> {
  generationId: string;
  model: string;
}

export interface ConnectorContext {
  now(): number;
  log: Logger;
}

export type ProviderOutput = { url: string } | { bytes: Uint8Array; contentType: string };

export type PollResult =
  /** `started: false` while the upstream still queues it (Runway's PENDING and THROTTLED): the generation stays QUEUED. */
  | { status: 'pending'; progress?: number; started: boolean }
  /** `costUsd`: the final price the upstream reports, when it does. */
  | { status: 'completed'; outputs: ProviderOutput[]; costUsd?: number }
  /** `retryable`: a new attempt may succeed; `resubmit`: the gateway should make that attempt itself (an upstream internal error). */
  | { status: 'failed'; code: ErrorCode; message: string; retryable: boolean; resubmit?: boolean };

/** The live half of a provider: talks to its upstream. The operation is whatever `poll` needs, as JSON. */
export interface ProviderConnector {
  submit(request: SubmitRequest, context: ConnectorContext): Promise<{ operation: Json }>;
  poll(operation: Json, context: ConnectorContext): Promise<PollResult>;
  cancel?(operation: Json, context: ConnectorContext): Promise<void>;
}

/** Helper so each provider file keeps its options type while the registry stores them uniformly. */
export function defineProvider<Options extends Record<string, unknown>>(definition: ProviderDefinition<Options>): ProviderDefinition {
  return definition as unknown as ProviderDefinition;
}

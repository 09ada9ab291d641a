import type { z } from 'zod';
import type { ErrorCode } from '../errors/gateway-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { GenerationInput, GenerationType, Json } from '../shared/media-request.ts';

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
  /** Space the polls out by the quote's estimated time (see nextPollDelay); off where the quote is not this route's. */
  followsEstimate?: boolean;
}

/** A voice a speaking provider offers: its id upstream and the name clients may use instead. */
export interface Voice {
  id: string;
  name: string;
}

export interface InputProblem {
  field: string;
  message: string;
}

/** One setting a route reads, named by the environment variable that holds it. `config.ts` parses it. */
export interface Setting<Value = unknown> {
  env: string;
  /** Parses the variable's text; `.optional()` or `.default()` when it may be absent. */
  schema: z.ZodType<Value>;
  description: string;
  /** A route is configured (live keys can use it) only when every required setting is present. */
  required?: boolean;
}

export type SettingsSpec = Record<string, Setting>;

/** The parsed values a route's `connect` receives: required settings are never undefined. */
export type SettingsValues<Spec extends SettingsSpec> = {
  [Key in keyof Spec]: Spec[Key] extends { required: true } ? NonNullable<z.output<Spec[Key]['schema']>> : z.output<Spec[Key]['schema']>;
};

export interface SubmitRequest<Options = Record<string, unknown>> extends GenerationRequest<Options> {
  generationId: string;
  model: string;
  /** How many routes this generation tried before this one (0 on its first). */
  attempt: number;
}

export interface ConnectorContext {
  now(): number;
  log: Logger;
  /** The bytes of an input the client gave as a data URI or URL, for upstreams that take media inline. */
  readMedia(reference: string, field: string): Promise<{ bytes: Uint8Array; mimeType: string }>;
}

/** An output to store: a URL to download (with the vendor's auth headers when it needs them), or the bytes themselves. */
export type ProviderOutput = { url: string; headers?: Record<string, string> } | { bytes: Uint8Array; contentType: string };

export type PollResult =
  /**
   * `started: false` while the upstream still queues it (Runway's PENDING and THROTTLED): the generation stays QUEUED.
   * `operation`: the work moved on to a new upstream operation (a two-step request: speech first, then the video).
   */
  | { status: 'pending'; progress?: number; started: boolean; operation?: Json }
  /** `costUsd`: the final price the upstream reports, when it does. */
  | { status: 'completed'; outputs: ProviderOutput[]; costUsd?: number }
  /** `retryable`: a new attempt may succeed; `resubmit`: the gateway should make that attempt itself (an upstream internal error). */
  | { status: 'failed'; code: ErrorCode; message: string; retryable: boolean; resubmit?: boolean };

/**
 * The live half of a route: talks to its upstream. The operation it returns is stored on the generation
 * as JSON and parsed back with `operationSchema` before every poll or cancel, never cast. A synchronous
 * upstream (ElevenLabs, Google's image models) makes its output in `poll`, from the request it is handed there:
 * its `submit` only records when it was asked. The request's options are those of the provider the connector
 * runs, typed from that provider's schema: the runner parses the stored options with it before every submit and poll.
 */
export interface Connector<Operation extends Json = Json, Options = Record<string, unknown>> {
  operationSchema: z.ZodType<Operation>;
  submit(request: SubmitRequest<Options>, context: ConnectorContext): Promise<Operation>;
  poll(operation: Operation, context: ConnectorContext, request: SubmitRequest<Options>): Promise<PollResult>;
  cancel?(operation: Operation, context: ConnectorContext): Promise<void>;
}

/** One upstream that can run a provider's requests: the provider's own API, or a host of the same model. */
export interface Route<Spec extends SettingsSpec = SettingsSpec, Options = Record<string, unknown>> {
  /** Shown as `Generation.route` and in `providers { routes }`: `runway`, `cometapi`, `sandbox`, … */
  id: string;
  settings: Spec;
  connect(settings: SettingsValues<Spec>): Connector<Json, Options>;
  /** How often to poll this upstream, when it differs from the provider's usual policy. */
  polling?: PollingPolicy;
  /** True when the upstream keeps the charge for input it refused on moderation grounds (Runway's SAFETY.INPUT). */
  chargesModeratedInput?: boolean;
  /** The connector hands this gateway's uploads (runway:// URIs) to its upstream itself; other routes get links to them. */
  takesUploads?: boolean;
  /** The settings-wide polling override (UPSTREAM_POLL_INTERVAL_MS) does not apply (the sandbox keeps its own pace). */
  ignoresPollOverride?: boolean;
  /** What this route cannot make although the provider can (a host without 4k, say); the next route is tried. */
  checkRequest?(request: GenerationRequest<Options>): InputProblem | null;
  /** The route's own price when it differs from the provider's (a host's price list); live requests on it are charged this. */
  quote?(request: GenerationRequest<Options>): Quote;
}

/**
 * The options of each provider that another folder hosts, by provider id. The provider's own folder adds its entry
 * (`declare module '../spec.ts'`, beside its schema), so a host maps the hosted provider's typed options without
 * importing its folder, and renaming an option breaks the host's mapping at compile time.
 */
// biome-ignore lint/suspicious/noEmptyInterface: declaration merging fills it, one hosted provider's folder at a time.
export interface HostedProviderOptions {}

export type HostedProviderId = keyof HostedProviderOptions;

/** A hosted provider's options, as its schema parses them. */
export type OptionsOf<Id extends HostedProviderId> = HostedProviderOptions[Id];

/** Routes an upstream offers for other providers' models, by provider id, each typed by that provider's options. */
export type HostedRoutes = { [Id in HostedProviderId]?: Route<SettingsSpec, OptionsOf<Id>>[] };

/** An upstream that runs other providers' models (fal, Replicate): its folder declares the routes it offers, by provider id. */
export interface Host {
  id: string;
  hostedRoutes: HostedRoutes;
}

/**
 * What a provider is, what it accepts, what it costs, and which routes can run it. The catalog half is pure
 * data and pure functions (test keys use it alone, running on the sandbox); `routes` are tried in order.
 */
export interface ProviderDefinition<Options extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  name: string;
  description: string;
  types: GenerationType[];
  models: string[];
  features: string[];
  limitations: string[];
  /** 1–10: how the provider ranks for `priority: QUALITY` and in the balanced score. */
  qualityScore: number;
  /** Voices `input.voice` may name (by id or name), for the providers that speak. */
  voices?: Voice[];
  optionsSchema: z.ZodType<Options>;
  /** Checks the inputs this provider needs or refuses; returns the offending field and why, or null. */
  checkInput(request: GenerationRequest<Options>): InputProblem | null;
  quote(request: GenerationRequest<Options>): Quote;
  polling: PollingPolicy;
  /** Its own vendor's API. Empty until a live connector exists. */
  routes: Route<SettingsSpec, Options>[];
  /**
   * Routes this provider's upstream offers for other providers' models, by their provider id: a host (Runway,
   * fal, Replicate) declares what it hosts in its own folder. They come after the model's own routes.
   */
  hostedRoutes?: HostedRoutes;
}

/**
 * Keeps a provider file's options type through its checks, quote and routes. The registry holds every provider as
 * `ProviderDefinition`, its options a record: a typed definition is one (TypeScript compares method parameters both
 * ways), and the runner parses a generation's stored options with the provider's schema before its connector sees them.
 */
export function defineProvider<Options extends Record<string, unknown>>(definition: ProviderDefinition<Options>): ProviderDefinition {
  return definition;
}

/** Keeps a route's settings, operation and options types inside its folder while the registry holds every route alike. */
export function defineRoute<Spec extends SettingsSpec, Operation extends Json, Options = Record<string, unknown>>(
  route: Omit<Route<Spec, Options>, 'connect'> & { connect(settings: SettingsValues<Spec>): Connector<Operation, Options> },
): Route<SettingsSpec, Options> {
  return route;
}

/** Declares a route's settings; `const` keeps `required: true` literal so `SettingsValues` can tell. */
export function defineSettings<const Spec extends SettingsSpec>(spec: Spec): Spec {
  return spec;
}

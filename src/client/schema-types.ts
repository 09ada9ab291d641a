// Generated from schema/ by `npm run docs` (GraphQL Code Generator). Do not edit.
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Any JSON value: provider options, free-form metadata. */
  JSON: { input: unknown; output: unknown; }
  /** An ISO 8601 timestamp in UTC, e.g. 2024-01-01T00:00:00.000Z. */
  DateTime: { input: string; output: string; }
};

export type Plan =
  | 'free'
  | 'starter'
  | 'pro'
  | 'enterprise';

/** Limits of the account's plan and where it stands against them. Only `generate` calls count. */
export type RateLimit = {
  perMinute: Scalars['Int']['output'];
  concurrent: Scalars['Int']['output'];
  /** Null when unlimited. */
  perDay: Maybe<Scalars['Int']['output']>;
  remainingThisMinute: Scalars['Int']['output'];
  remainingToday: Maybe<Scalars['Int']['output']>;
  /** When the oldest call in the current minute window leaves it. */
  resetAt: Scalars['DateTime']['output'];
  /** Generations running upstream now. */
  running: Scalars['Int']['output'];
  /** Generations waiting for a concurrency slot (status QUEUED). */
  waiting: Scalars['Int']['output'];
};

export type Account = {
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  plan: Plan;
  credits: Scalars['Int']['output'];
  /** True when the request was made with a test key. */
  testMode: Scalars['Boolean']['output'];
  rateLimit: RateLimit;
  /** The start of the webhook signing secret, to tell which one is in use. */
  webhookSecretHint: Scalars['String']['output'];
};

export type UsageLine = {
  type: GenerationType;
  provider: Scalars['String']['output'];
  credits: Scalars['Int']['output'];
  generations: Scalars['Int']['output'];
};

/** Credits spent with live keys on one UTC day. */
export type UsageDay = {
  date: Scalars['String']['output'];
  credits: Scalars['Int']['output'];
  generations: Scalars['Int']['output'];
  lines: Array<UsageLine>;
};

export type Query = {
  account: Account;
  /** Spending per day, newest first, for up to 90 days. */
  usage: Array<UsageDay>;
  generation: Maybe<Generation>;
  generations: GenerationConnection;
  providers: Array<Provider>;
  /** Every delivery attempt for a generation's webhook, oldest first. */
  webhookDeliveries: Array<WebhookDelivery>;
};


export type QueryUsageArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryGenerationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryGenerationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after: InputMaybe<Scalars['String']['input']>;
  status: InputMaybe<GenerationStatus>;
  type: InputMaybe<GenerationType>;
};


export type QueryProvidersArgs = {
  type: InputMaybe<GenerationType>;
};


export type QueryWebhookDeliveriesArgs = {
  generationId: Scalars['ID']['input'];
};

export type GenerationType =
  | 'VIDEO'
  | 'IMAGE'
  | 'AUDIO'
  | 'AVATAR';

export type GenerationStatus =
  | 'QUEUED'
  | 'PROCESSING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED';

/** How to choose a provider when `provider` is not given. */
export type Priority =
  | 'QUALITY'
  | 'SPEED'
  | 'COST'
  | 'BALANCED';

/** What to generate from. Media fields take an https URL or a base64 data URI. */
export type GenerationInputData = {
  text?: InputMaybe<Scalars['String']['input']>;
  negativePrompt?: InputMaybe<Scalars['String']['input']>;
  image?: InputMaybe<Scalars['String']['input']>;
  endImage?: InputMaybe<Scalars['String']['input']>;
  video?: InputMaybe<Scalars['String']['input']>;
  audio?: InputMaybe<Scalars['String']['input']>;
  voice?: InputMaybe<Scalars['String']['input']>;
  references?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type GenerateInput = {
  type: GenerationType;
  /** A provider id from the `providers` query; omit it to let `priority` choose. */
  provider?: InputMaybe<Scalars['String']['input']>;
  input: GenerationInputData;
  /** Provider-specific options, validated by that provider's schema (see `providers { options }`). */
  options?: InputMaybe<Scalars['JSON']['input']>;
  priority?: InputMaybe<Priority>;
  /** Receives a POST when the generation ends. */
  webhookUrl?: InputMaybe<Scalars['String']['input']>;
  /** Where the generation may go if its route fails in a way another could fix (upstream down, an internal error): SAME_MODEL (the default: its model's other routes), ANY (any provider that accepts the request, ranked by priority), NONE. */
  fallback?: InputMaybe<Fallback>;
  /** An explicit, ordered list of providers to fall back to (overrides fallback). */
  fallbackProviders?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type Fallback =
  | 'SAME_MODEL'
  | 'ANY'
  | 'NONE';

/** A route the generation was sent to, and how it went there. */
export type GenerationAttempt = {
  provider: Scalars['String']['output'];
  route: Scalars['String']['output'];
  /** FAILED for a route it fell back from; the generation's own status for the route it is on. */
  status: GenerationStatus;
  code: Maybe<Scalars['String']['output']>;
  message: Maybe<Scalars['String']['output']>;
  /** When it was sent there (for the current route: when it started, or was created). */
  at: Scalars['DateTime']['output'];
};

/** Facts read from the stored output file. */
export type GenerationMetadata = {
  width: Maybe<Scalars['Int']['output']>;
  height: Maybe<Scalars['Int']['output']>;
  /** Seconds, for video and audio. */
  duration: Maybe<Scalars['Float']['output']>;
  format: Maybe<Scalars['String']['output']>;
  resolution: Maybe<Scalars['String']['output']>;
  sizeBytes: Maybe<Scalars['Int']['output']>;
  contentType: Maybe<Scalars['String']['output']>;
};

export type GenerationError = {
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  retryable: Scalars['Boolean']['output'];
  /** The input field at fault (e.g. input.voice) when the upstream refused one of the request's values. */
  field: Maybe<Scalars['String']['output']>;
};

export type Generation = {
  id: Scalars['ID']['output'];
  status: GenerationStatus;
  type: GenerationType;
  provider: Scalars['String']['output'];
  model: Maybe<Scalars['String']['output']>;
  /** The upstream route that ran it: the provider's own API (e.g. runway), a host of the same model (e.g. cometapi), or sandbox for test keys. */
  route: Scalars['String']['output'];
  /** Every route tried, oldest first: those it fell back from, then the one it is on. */
  attempts: Array<GenerationAttempt>;
  /** The first output, served by this gateway. */
  url: Maybe<Scalars['String']['output']>;
  outputs: Array<Scalars['String']['output']>;
  /** 0 to 1. */
  progress: Maybe<Scalars['Float']['output']>;
  metadata: Maybe<GenerationMetadata>;
  /** Credits quoted at submit; the final charge once the generation ends: 0 when its credits were refunded. */
  creditCost: Scalars['Int']['output'];
  /** Estimated seconds from submit to completion. */
  estimatedTime: Maybe<Scalars['Int']['output']>;
  error: Maybe<GenerationError>;
  errorCode: Maybe<Scalars['String']['output']>;
  /** True when made with a test key: executed by the sandbox and free. */
  testMode: Scalars['Boolean']['output'];
  webhookUrl: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** When anything about it last changed: its status, progress, outputs or route. */
  updatedAt: Scalars['DateTime']['output'];
  startedAt: Maybe<Scalars['DateTime']['output']>;
  completedAt: Maybe<Scalars['DateTime']['output']>;
};

export type GenerationEdge = {
  cursor: Scalars['String']['output'];
  node: Generation;
};

export type PageInfo = {
  hasNextPage: Scalars['Boolean']['output'];
  endCursor: Maybe<Scalars['String']['output']>;
};

export type GenerationConnection = {
  edges: Array<GenerationEdge>;
  nodes: Array<Generation>;
  pageInfo: PageInfo;
};

/** A video from a prompt, in the input shape of the first Apollo Client examples. */
export type VideoCreateInput = {
  prompt: Scalars['String']['input'];
  /** A provider id (e.g. luma, runway, kling). */
  model?: InputMaybe<Scalars['String']['input']>;
  duration?: InputMaybe<Scalars['Int']['input']>;
  aspectRatio?: InputMaybe<Scalars['String']['input']>;
  image?: InputMaybe<Scalars['String']['input']>;
  options?: InputMaybe<Scalars['JSON']['input']>;
  webhookUrl?: InputMaybe<Scalars['String']['input']>;
};

export type VideoCreatePayload = {
  id: Scalars['ID']['output'];
  status: GenerationStatus;
  videoUrl: Maybe<Scalars['String']['output']>;
  generation: Generation;
};

export type Mutation = {
  generate: Generation;
  cancelGeneration: Scalars['Boolean']['output'];
  videoCreate: VideoCreatePayload;
  /** Sends an ended generation's webhook again (same webhook-id), and enables its URL again if it was disabled. */
  redeliverWebhook: Scalars['Boolean']['output'];
};


export type MutationGenerateArgs = {
  input: GenerateInput;
};


export type MutationCancelGenerationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationVideoCreateArgs = {
  input: VideoCreateInput;
};


export type MutationRedeliverWebhookArgs = {
  generationId: Scalars['ID']['input'];
};

export type ProviderPricing = {
  /** Credits for a request with default options. */
  creditCost: Scalars['Int']['output'];
  /** Seconds a request with default options usually takes. */
  estimatedTime: Scalars['Int']['output'];
};

export type ProviderOption = {
  name: Scalars['String']['output'];
  type: Scalars['String']['output'];
  required: Scalars['Boolean']['output'];
  description: Maybe<Scalars['String']['output']>;
  allowedValues: Maybe<Array<Scalars['String']['output']>>;
  default: Maybe<Scalars['JSON']['output']>;
  minimum: Maybe<Scalars['Float']['output']>;
  maximum: Maybe<Scalars['Float']['output']>;
};

/** An upstream that can run a provider's requests: its own vendor's API, or a host of the same model. */
export type ProviderRoute = {
  id: Scalars['ID']['output'];
  /** True when this gateway has the route's settings (credentials), so live keys can use it. */
  configured: Scalars['Boolean']['output'];
  /** The route's circuit breaker and recent figures, shared by every gateway process. */
  health: RouteHealth;
};

export type CircuitState =
  /** Generations go to the route. */
  | 'CLOSED'
  /** The route failed too often in a row: generations go to their fallback until the cool-down ends. */
  | 'OPEN'
  /** After the cool-down, one probe generation is on the route; its outcome closes or reopens it. */
  | 'HALF_OPEN';

export type RouteHealth = {
  state: CircuitState;
  /** Share of the recent generations on the route that failed in a way another route could fix (0 to 1); null with none yet. */
  errorRate: Maybe<Scalars['Float']['output']>;
  /** Median milliseconds from start to a stored output over recent completions; null with none yet. */
  p50LatencyMs: Maybe<Scalars['Int']['output']>;
};

/** A voice `input.voice` may name, by id or by name. */
export type ProviderVoice = {
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type Provider = {
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  description: Scalars['String']['output'];
  types: Array<GenerationType>;
  models: Array<Scalars['String']['output']>;
  features: Array<Scalars['String']['output']>;
  limitations: Array<Scalars['String']['output']>;
  pricing: ProviderPricing;
  options: Array<ProviderOption>;
  /** True when live keys can use it (its credentials are configured). Test keys can use every provider. */
  available: Scalars['Boolean']['output'];
  /** The routes tried in order; a live request runs on the first configured one. */
  routes: Array<ProviderRoute>;
  /** Health of the first configured route (the one a live request would run on); null when none is configured. */
  health: Maybe<RouteHealth>;
  /** Voices of providers that speak (empty for the others). */
  voices: Array<ProviderVoice>;
};

/**
 * Pushed over WebSocket (the graphql-ws protocol) at the same /graphql address; authenticate in `connection_init`
 * with `{ "authorization": "Bearer <key>" }` or `{ "x-api-key": "<key>" }`.
 */
export type Subscription = {
  /** One generation: its current state at once, then every change of status or progress; completes after a final state. */
  generationUpdated: Generation;
  /** Every change to this account's generations from now on, optionally only those in these statuses or of this type. */
  generationsUpdated: Generation;
};


/**
 * Pushed over WebSocket (the graphql-ws protocol) at the same /graphql address; authenticate in `connection_init`
 * with `{ "authorization": "Bearer <key>" }` or `{ "x-api-key": "<key>" }`.
 */
export type SubscriptionGenerationUpdatedArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Pushed over WebSocket (the graphql-ws protocol) at the same /graphql address; authenticate in `connection_init`
 * with `{ "authorization": "Bearer <key>" }` or `{ "x-api-key": "<key>" }`.
 */
export type SubscriptionGenerationsUpdatedArgs = {
  status: InputMaybe<Array<GenerationStatus>>;
  type: InputMaybe<GenerationType>;
};

export type WebhookDeliveryOutcome =
  | 'DELIVERED'
  | 'RETRYING'
  | 'FAILED'
  /** The receiver answered 410 Gone; this URL gets no more deliveries until a redelivery is asked for. */
  | 'DISABLED'
  | 'SKIPPED';

/** One attempt to deliver a webhook. `id` is the message's `webhook-id`, the same for every attempt. */
export type WebhookDelivery = {
  id: Scalars['ID']['output'];
  event: Scalars['String']['output'];
  attempt: Scalars['Int']['output'];
  url: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  /** The receiver's HTTP status; null when it could not be reached. */
  status: Maybe<Scalars['Int']['output']>;
  latencyMs: Scalars['Int']['output'];
  outcome: WebhookDeliveryOutcome;
  error: Maybe<Scalars['String']['output']>;
};

/** Every field of a generation, nested ones included: what the client and the console ask for. */
export const generationSelection = "id status type provider model route attempts { provider route status code message at } url outputs progress metadata { width height duration format resolution sizeBytes contentType } creditCost estimatedTime error { code message retryable field } errorCode testMode webhookUrl createdAt updatedAt startedAt completedAt";

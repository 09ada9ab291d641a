import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { providerSettingsShape } from './providers/registry.ts';

const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

const commaList = <Item extends z.ZodType>(item: Item) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item) as unknown as z.ZodType<z.output<Item>[], string[]>);

/** Every setting genway reads, with its default. `.env.example` documents each one. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('gw'),
    /** A request's Redis command unanswered this long gets 503 SERVICE_UNAVAILABLE (a hung Redis; a closed one fails at once). */
    REDIS_COMMAND_TIMEOUT_MS: positiveInt.default(1500),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT_BYTES: positiveInt.default(20 * 1024 * 1024),
    CREDITS_PER_USD: z.coerce.number().positive().default(400),
    WORKER_CONCURRENCY: positiveInt.default(50),
    JOB_LOCK_MS: positiveInt.default(30_000),
    JOB_STALLED_INTERVAL_MS: positiveInt.default(30_000),
    UPSTREAM_RETRY_ATTEMPTS: positiveInt.default(8),
    UPSTREAM_RETRY_BASE_MS: positiveInt.default(2000),
    MAX_OUTPUT_BYTES: positiveInt.default(512 * 1024 * 1024),
    WEBHOOK_TIMEOUT_MS: positiveInt.default(15_000),
    /** A webhook receiver (or input media host) that has not accepted the connection by then is given up on for this attempt. */
    WEBHOOK_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
    /** …and one that has not sent its response headers this long after the request went out. */
    WEBHOOK_FIRST_BYTE_TIMEOUT_MS: positiveInt.default(10_000),
    /** Deliveries in flight to one receiver origin at once, across every worker; unset, a fifth of WORKER_CONCURRENCY. */
    WEBHOOK_CONCURRENCY_PER_DESTINATION: positiveInt.optional(),
    /** Delays between webhook attempts after the first, immediate one (Standard Webhooks' schedule). */
    WEBHOOK_RETRY_SCHEDULE_MS: commaList(z.coerce.number().int().nonnegative()).default([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]),
    ALLOW_PRIVATE_URLS: booleanFromEnv.default(false),
    TRUSTED_ORIGINS: commaList(z.url()).default([]),
    /** On by default except with NODE_ENV=production, where a test key printed at start-up would land in the logs. */
    CREATE_DEV_ACCOUNT: booleanFromEnv.optional(),
    /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** GET /metrics without METRICS_TOKEN: served to anyone by default except with NODE_ENV=production, where it answers 404. */
    METRICS_PUBLIC: booleanFromEnv.optional(),
    /** A worker-only process serves /metrics, /livez and /readyz on this port (the API serves them on PORT). */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Push connections (WebSockets and server-sent event streams) one account may hold open on one API process. */
    REALTIME_CONNECTIONS_PER_ACCOUNT: positiveInt.default(50),
    /** How long the OpenAI-compatible images and speech calls hold their answer for the generation to end (two minutes: OpenAI's own image calls take about one). */
    OPENAI_WAIT_MS: positiveInt.default(120_000),
    /** Subscriptions one WebSocket connection may run at once. */
    SUBSCRIPTIONS_PER_CONNECTION: positiveInt.default(100),
    /** Push connections are pinged (WebSocket) or sent a comment (event streams) this often; a dead WebSocket is dropped. */
    REALTIME_HEARTBEAT_MS: positiveInt.default(25_000),
    /** OpenTelemetry: traces go to this OTLP/HTTP collector (e.g. http://127.0.0.1:4318); unset, tracing is off. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /** The service name traces carry (default genway-api, genway-worker or genway). */
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
    /** SIGTERM/SIGINT: how long to finish in-flight work before exiting anyway (under the 10 s orchestrators usually allow). */
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(8_000),
    /** A route's circuit opens after this many fixable failures in a row (upstream down, internal errors). */
    CIRCUIT_FAILURE_THRESHOLD: positiveInt.default(5),
    /** An open circuit lets one probe through after this long. */
    CIRCUIT_COOLDOWN_MS: positiveInt.default(30_000),
    /** …or once this share of its last 100 generations failed that way (after at least 20). */
    CIRCUIT_ERROR_RATE: z.coerce.number().gt(0).max(1).default(0.5),
    /** Overrides every live route's polling interval (for demos and tests against fakes). */
    UPSTREAM_POLL_INTERVAL_MS: positiveInt.optional(),
    // Credentials and origins of every provider's routes, declared in each provider's folder.
    ...providerSettingsShape(),
  })
  .transform((settings) => ({
    ...settings,
    DATA_DIR: path.resolve(settings.DATA_DIR),
    PUBLIC_URL: (settings.PUBLIC_URL ?? `http://${hostForUrl(settings.HOST)}:${settings.PORT}`).replace(/\/+$/, ''),
    /** False when PUBLIC_URL was derived from HOST and PORT: a worker then uses the address the API announced. */
    publicUrlIsSet: settings.PUBLIC_URL !== undefined,
    CREATE_DEV_ACCOUNT: settings.CREATE_DEV_ACCOUNT ?? settings.NODE_ENV !== 'production',
    METRICS_PUBLIC: settings.METRICS_PUBLIC ?? settings.NODE_ENV !== 'production',
    // A fifth, so one slow receiver leaves four fifths of the delivery slots to everyone else.
    WEBHOOK_CONCURRENCY_PER_DESTINATION: settings.WEBHOOK_CONCURRENCY_PER_DESTINATION ?? Math.max(1, Math.floor(settings.WORKER_CONCURRENCY / 5)),
  }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Reads `.env` from the working directory when there is one; variables already set in the environment win. */
export function loadEnvFileIfPresent(file = path.resolve('.env')): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** What tracing needs before anything else loads: read apart from the rest, which is checked (with a readable error) later. */
export function tracingSettings(defaultServiceName: string, env: Record<string, string | undefined> = process.env): { endpoint: string | undefined; serviceName: string } {
  loadEnvFileIfPresent();
  const parsed = configSchema.in.shape.OTEL_EXPORTER_OTLP_ENDPOINT.safeParse(env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined);
  return { endpoint: parsed.success ? parsed.data : undefined, serviceName: env.OTEL_SERVICE_NAME || defaultServiceName };
}

/** Parses settings once; empty strings count as unset so `.env` files can list every name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.in.shape);
  const present = Object.fromEntries(known.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`));
  }
  return parsed.data;
}

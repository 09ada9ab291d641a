/** The closed set of error codes a client can see, with the HTTP status each maps to. */
export const httpStatusByCode = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  INSUFFICIENT_CREDITS: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_CONFLICT: 422,
  RATE_LIMIT: 429,
  INTERNAL: 500,
  GENERATION_FAILED: 500,
  CONTENT_MODERATION: 400,
  PROVIDER_UNAVAILABLE: 503,
  /** The gateway's own store (Redis) is unreachable: nothing was done; retry after Retry-After. */
  SERVICE_UNAVAILABLE: 503,
  /** The gateway's file storage refuses writes (disk full, over quota, read-only, failing): nothing was kept. */
  STORAGE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof httpStatusByCode;

export interface GatewayErrorOptions {
  retryable?: boolean;
  /** Extra machine-readable fields for `extensions` (e.g. `field`, `creditsRequired`). */
  details?: Record<string, unknown>;
  /** HTTP headers the transport should add to its answer (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** For retryable errors from an upstream: how long it asked us to wait before trying again. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
    this.retryAfterMs = options.retryAfterMs;
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(httpStatusByCode, value);
}

/** An input error that names the offending field path, e.g. `input.options.duration`. */
export function invalidInput(field: string, message: string): GatewayError {
  return new GatewayError('INVALID_INPUT', `${field}: ${message}`, { details: { field } });
}

/** The body shape every transport uses for errors, as the seed documents it. */
export interface ErrorBody {
  errors: Array<{ message: string; extensions: Record<string, unknown> & { code: ErrorCode } }>;
}

export function toErrorBody(error: GatewayError): ErrorBody {
  return { errors: [{ message: error.message, extensions: { code: error.code, ...error.details, ...(error.retryable ? { retryable: true } : {}) } }] };
}

/** Seconds a client should wait before retrying while the gateway's store is unreachable. */
export const serviceUnavailableRetryAfterSeconds = 5;

export function serviceUnavailable(): GatewayError {
  return new GatewayError('SERVICE_UNAVAILABLE', 'The gateway cannot reach its store right now; nothing was done. Retry shortly.', {
    retryable: true,
    headers: { 'Retry-After': String(serviceUnavailableRetryAfterSeconds) },
  });
}

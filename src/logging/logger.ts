import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets anywhere in a logged object; pino replaces them before serialising. */
export const redactedPaths = [
  'apiKey',
  '*.apiKey',
  'liveKey',
  'testKey',
  'webhookSecret',
  '*.webhookSecret',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-runway-version"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

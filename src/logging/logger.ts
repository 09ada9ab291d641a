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
  // The credential headers upstreams take (Gemini's, ElevenLabs', fal's and Kling's go as these), wherever logged.
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers["x-goog-api-key"]',
  'headers["xi-api-key"]',
  '*.headers["xi-api-key"]',
  // An upstream's answer can echo the key it was sent and name its internal hosts: its body is never logged as is.
  'body',
  '*.body',
  '*.response.body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

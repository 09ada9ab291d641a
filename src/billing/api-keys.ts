import { createHash, randomBytes } from 'node:crypto';
import { randomToken } from '../shared/ids.ts';

/** Keys have ~190 bits of entropy, so a fast hash is enough to store them safely (as Stripe and GitHub do). */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Live keys run on the providers and are billed; test keys run everything on the sandbox, free. */
export type KeyMode = 'live' | 'test';

export const newApiKey = (mode: KeyMode) => `gw_${mode}_${randomToken(32)}`;

export function keyModeOf(key: string): KeyMode | null {
  if (key.startsWith('gw_live_')) return 'live';
  if (key.startsWith('gw_test_')) return 'test';
  return null;
}

/** The start of a webhook secret, enough to tell which one is in use without revealing it. */
export const webhookSecretHint = (secret: string) => `${secret.slice(0, 10)}…`;

/** Standard Webhooks secret format: `whsec_` + base64 of random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

import { sign as signSha256, verify as verifySha256 } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';

export interface SigningSecrets {
  current: string;
  /** During a rotation's overlap the old secret signs too, so receivers can switch at any time. */
  previous?: string | null;
}

/**
 * Headers for one delivery of `body`, the exact bytes sent:
 * - `X-Doitong-Signature: sha256=<hex>` keyed with the whole `whsec_…` string, as GitHub and Stripe key theirs
 *   (during a rotation, `X-Doitong-Signature-Previous` carries the old secret's);
 * - Standard Webhooks' `webhook-id`, `webhook-timestamp` and `webhook-signature` (one `v1,…` per secret),
 *   over `id.timestamp.body`, which gives receivers replay protection.
 */
export async function signatureHeaders(secrets: SigningSecrets, messageId: string, timestamp: Date, body: string): Promise<Record<string, string>> {
  const all = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])];
  const headers: Record<string, string> = {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': all.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' '),
    // The name the first receivers were written against, before genway had one: renaming it would break them.
    'x-doitong-signature': await signSha256(secrets.current, body),
  };
  if (secrets.previous) headers['x-doitong-signature-previous'] = await signSha256(secrets.previous, body);
  return headers;
}

export class WebhookSignatureError extends Error {}

/**
 * For receivers: checks a delivery against your `whsec_…` secret and returns its parsed payload.
 * Prefers the Standard Webhooks headers (signature plus a 5-minute timestamp tolerance against replays);
 * falls back to `X-Doitong-Signature`. Pass the raw body exactly as received.
 */
export async function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string | Buffer): Promise<unknown> {
  const header = (name: string) => {
    const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    return Array.isArray(value) ? value[0] : value;
  };
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const standard = { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') };
  if (standard['webhook-signature']) {
    try {
      return new Webhook(secret).verify(body, standard as Record<string, string>);
    } catch (error) {
      throw new WebhookSignatureError((error as Error).message);
    }
  }
  const signature = header('x-doitong-signature');
  if (!signature || !(await verifySha256(secret, body, signature))) throw new WebhookSignatureError('no valid webhook signature');
  return JSON.parse(body);
}

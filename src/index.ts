/** What the genway package offers code outside the gateway: webhook verification for receivers. */
export { verifyWebhook, WebhookSignatureError } from './webhooks/webhook-signature.ts';

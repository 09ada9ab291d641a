import type { Account } from '../../billing/account-repository.ts';
import type { RateLimitStatus } from '../../billing/account-status.ts';
import { webhookSecretHint } from '../../billing/api-keys.ts';

export function accountView(account: Account, testMode: boolean, rateLimit: RateLimitStatus) {
  return { id: account.id, name: account.name, plan: account.plan, credits: account.credits, testMode, rateLimit, webhookSecretHint: webhookSecretHint(account.webhookSecret) };
}

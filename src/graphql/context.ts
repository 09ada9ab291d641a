import type { Principal } from '../billing/account-repository.ts';
import type { RateLimitState } from '../billing/rate-limits.ts';
import type { Gateway } from '../gateway.ts';

export interface GraphQLContext {
  caller: Principal;
  gateway: Pick<Gateway, 'service' | 'registry' | 'accounts' | 'accountStatus' | 'webhooks' | 'circuits' | 'events'>;
  /** Called when a `generate` changes the rate-limit window, so the response headers show the new state. */
  reportRateLimit(state: RateLimitState): void;
}

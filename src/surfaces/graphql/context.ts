import type { AccountRepository, Principal } from '../../billing/account-repository.ts';
import type { AccountStatus } from '../../billing/account-status.ts';
import type { RateLimitState } from '../../billing/rate-limits.ts';
import type { GenerationService } from '../../generations/generation-service.ts';
import type { RouteCircuits } from '../../health/route-health.ts';
import type { ProviderCatalog } from '../../providers/provider-view.ts';
import type { WatchDependencies } from '../../realtime/generation-events.ts';
import type { WebhookService } from '../../webhooks/webhook-service.ts';

/** What the resolvers use, and nothing else of the gateway. */
export interface GraphQLServices {
  service: Pick<GenerationService, 'create' | 'get' | 'list' | 'cancel'>;
  registry: ProviderCatalog;
  accounts: Pick<AccountRepository, 'get'>;
  accountStatus: Pick<AccountStatus, 'rateLimit' | 'usage'>;
  webhooks: Pick<WebhookService, 'deliveries' | 'redeliver'>;
  circuits: Pick<RouteCircuits, 'health'>;
  /** Where subscriptions hear of changes to generations. */
  events: WatchDependencies['hub'];
}

export interface GraphQLContext {
  caller: Principal;
  services: GraphQLServices;
  /** Called when a `generate` changes the rate-limit window, so the response headers show the new state. */
  reportRateLimit(state: RateLimitState): void;
}

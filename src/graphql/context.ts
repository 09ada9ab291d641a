import type { Gateway } from '../gateway.ts';
import type { Caller } from '../generations/generation-service.ts';

export interface GraphQLContext {
  caller: Caller;
  gateway: Pick<Gateway, 'service' | 'registry' | 'accounts'>;
}

import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation, GenerationStatus, GenerationType } from '../../generations/generation.ts';
import { generationView } from '../../generations/generation-view.ts';
import { providerViews } from '../../providers/provider-view.ts';
import { stoppable, type WatchDependencies, watchAccount, watchGeneration } from '../../realtime/generation-events.ts';
import type { GraphQLContext } from './context.ts';
import { accountView } from './views.ts';

interface VideoCreateInput {
  prompt: string;
  model?: string | null;
  duration?: number | null;
  aspectRatio?: string | null;
  image?: string | null;
  options?: Record<string, unknown> | null;
  webhookUrl?: string | null;
}

/** `videoCreate`, kept for its first clients, is `generate` with type VIDEO; its `model` names the provider. */
function videoCreateRequest(input: VideoCreateInput): GenerateRequest {
  const options: Record<string, unknown> = { ...input.options };
  if (input.duration != null) options.duration = input.duration;
  if (input.aspectRatio != null) options.aspectRatio = input.aspectRatio;
  return { type: 'VIDEO', provider: input.model, input: { text: input.prompt, image: input.image }, options, webhookUrl: input.webhookUrl };
}

async function createGeneration({ caller, services, reportRateLimit }: GraphQLContext, request: GenerateRequest) {
  const { generation, rateLimit } = await services.service.create(caller, request);
  reportRateLimit(rateLimit);
  return generation;
}

/** A route's breaker and figures; the gateway's Redis client pipelines the reads of one query into one round trip. */
async function routeHealth({ services }: GraphQLContext, provider: string, route: string) {
  const [health] = await services.circuits.health([{ provider, route }]);
  return { ...health!, state: health!.state.toUpperCase().replace('-', '_') };
}

/** What a watch reads with: the caller's own generations only (another account's id is NOT_FOUND). */
const watchDependencies = ({ caller, services }: GraphQLContext): WatchDependencies => ({ hub: services.events, read: (id) => services.service.get(caller, id) });

interface RouteView {
  id: string;
  provider: string;
  configured: boolean;
}

export const resolvers = {
  JSON: JSONResolver,
  DateTime: DateTimeResolver,
  ProviderRoute: {
    health: (route: RouteView, _: unknown, context: GraphQLContext) => routeHealth(context, route.provider, route.id),
  },
  Provider: {
    health: (provider: { routes: RouteView[] }, _: unknown, context: GraphQLContext) => {
      const route = provider.routes.find((candidate) => candidate.configured);
      return route ? routeHealth(context, route.provider, route.id) : null;
    },
  },
  Subscription: {
    generationUpdated: {
      subscribe: async (_: unknown, { id }: { id: string }, context: GraphQLContext) => {
        await context.services.service.get(context.caller, id);
        return stoppable((signal) => watchGeneration(watchDependencies(context), context.caller.accountId, id, signal));
      },
      resolve: (generation: Generation) => generationView(generation),
    },
    generationsUpdated: {
      subscribe: (_: unknown, args: { status?: GenerationStatus[] | null; type?: GenerationType | null }, context: GraphQLContext) =>
        stoppable((signal) => watchAccount(watchDependencies(context), context.caller.accountId, { statuses: args.status, type: args.type }, signal)),
      resolve: (generation: Generation) => generationView(generation),
    },
  },
  Query: {
    generation: async (_: unknown, { id }: { id: string }, { caller, services }: GraphQLContext) => generationView(await services.service.get(caller, id)),
    generations: async (_: unknown, args: { first: number; after?: string | null; status?: GenerationStatus | null; type?: GenerationType | null }, { caller, services }: GraphQLContext) => {
      const page = await services.service.list(caller, args.first, args.after ?? undefined, { status: args.status ?? undefined, type: args.type ?? undefined });
      const nodes = page.items.map(generationView);
      return { nodes, edges: nodes.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.at(-1)?.id ?? null } };
    },
    providers: (_: unknown, { type }: { type?: GenerationType | null }, { services }: GraphQLContext) => providerViews(services.registry, type),
    account: async (_: unknown, __: unknown, { caller, services }: GraphQLContext) => {
      const account = await services.accounts.get(caller.accountId);
      if (!account) throw new GatewayError('UNAUTHENTICATED', 'the account for this API key no longer exists');
      return accountView(account, caller.mode === 'test', await services.accountStatus.rateLimit(account.id, account.limits));
    },
    webhookDeliveries: async (_: unknown, { generationId }: { generationId: string }, { caller, services }: GraphQLContext) =>
      (await services.webhooks.deliveries(caller, generationId)).map((attempt) => ({ ...attempt, at: new Date(attempt.at) })),
    usage: (_: unknown, { days }: { days: number }, { caller, services }: GraphQLContext) => {
      if (!Number.isInteger(days) || days < 1 || days > 90) throw new GatewayError('INVALID_INPUT', 'days: must be between 1 and 90', { details: { field: 'days' } });
      return services.accountStatus.usage(caller.accountId, days);
    },
  },
  Mutation: {
    generate: async (_: unknown, { input }: { input: GenerateRequest }, context: GraphQLContext) => generationView(await createGeneration(context, input)),
    cancelGeneration: (_: unknown, { id }: { id: string }, { caller, services }: GraphQLContext) => services.service.cancel(caller, id),
    redeliverWebhook: (_: unknown, { generationId }: { generationId: string }, { caller, services }: GraphQLContext) => services.webhooks.redeliver(caller, generationId),
    videoCreate: async (_: unknown, { input }: { input: VideoCreateInput }, context: GraphQLContext) => {
      const generation = generationView(await createGeneration(context, videoCreateRequest(input)));
      return { id: generation.id, status: generation.status, videoUrl: generation.url, generation };
    },
  },
};

import { GatewayError, invalidInput } from '../errors/gateway-error.ts';
import { type ProviderRegistry, sandboxProviderId } from '../providers/registry.ts';
import type { GenerationRequest, ProviderDefinition, Quote } from '../providers/spec.ts';
import { invalidFromZod, type ValidGenerateRequest } from './generate-request.ts';
import type { Fallback, GenerationInput, KeyMode, Priority } from './generation.ts';

/** A request that a provider has accepted: its options parsed, its price quoted, the route that will run it. */
export interface PlannedGeneration {
  definition: ProviderDefinition;
  request: GenerationRequest;
  quote: Quote;
  credits: number;
  route: string;
}

type Attempt = { ok: true; plan: PlannedGeneration } | { ok: false; error: GatewayError };

/** What planning reads of the registry: the catalog, the routes a mode may use, and prices. */
export type PlanningRegistry = Pick<ProviderRegistry, 'get' | 'ids' | 'list' | 'routeFor' | 'quote' | 'credits'>;

/** Validates the request against the named provider, or picks the best one that accepts it for the priority. */
export function planGeneration(registry: PlanningRegistry, request: ValidGenerateRequest, mode: KeyMode): PlannedGeneration {
  if (request.provider) {
    const definition = registry.get(request.provider);
    if (!definition) throw invalidInput('provider', `unknown provider "${request.provider}"; one of ${registry.ids().join(', ')}`);
    const attempt = tryProvider(registry, definition, request, mode);
    if (!attempt.ok) throw attempt.error;
    return attempt.plan;
  }
  const candidates = registry.list(request.type).filter((definition) => definition.id !== sandboxProviderId && registry.routeFor(definition.id, mode).route);
  if (candidates.length === 0) {
    throw new GatewayError('PROVIDER_UNAVAILABLE', `no provider for ${request.type} is configured for live keys; name a provider, use provider "sandbox", or use a test key`, { retryable: false });
  }
  const attempts = candidates.map((definition) => tryProvider(registry, definition, request, mode));
  const plans = attempts.flatMap((attempt) => (attempt.ok ? [attempt.plan] : []));
  if (plans.length === 0) throw (attempts[0] as { error: GatewayError }).error;
  return rank(plans, request.priority ?? 'BALANCED')[0]!;
}

/**
 * Where a failed generation may go next, best first: its provider's other routes, then (as `fallback` allows) other
 * providers that accept the same request. `tried` holds `provider/route` pairs already used.
 */
export function fallbackPlans(registry: PlanningRegistry, request: ValidGenerateRequest & { provider: string }, mode: KeyMode, fallback: Fallback, tried: ReadonlySet<string>): PlannedGeneration[] {
  if (fallback === 'NONE') return [];
  const triedRoutes = (provider: string) => new Set([...tried].filter((pair) => pair.startsWith(`${provider}/`)).map((pair) => pair.slice(provider.length + 1)));
  const planOn = (provider: string) => {
    const definition = registry.get(provider);
    const attempt = definition ? tryProvider(registry, definition, { ...request, provider }, mode, triedRoutes(provider)) : null;
    return attempt?.ok ? [attempt.plan] : [];
  };
  const sameModel = planOn(request.provider);
  if (fallback === 'SAME_MODEL') return sameModel;
  if (Array.isArray(fallback)) return [...sameModel, ...fallback.filter((provider) => provider !== request.provider).flatMap(planOn)];
  const others = registry.list(request.type).filter((definition) => definition.id !== request.provider && definition.id !== sandboxProviderId);
  return [
    ...sameModel,
    ...rank(
      others.flatMap((definition) => planOn(definition.id)),
      request.priority ?? 'BALANCED',
    ),
  ];
}

function tryProvider(registry: PlanningRegistry, definition: ProviderDefinition, request: ValidGenerateRequest, mode: KeyMode, excludeRoutes: ReadonlySet<string> = new Set()): Attempt {
  if (!definition.types.includes(request.type)) {
    return { ok: false, error: invalidInput('type', `provider ${definition.id} does not make ${request.type}; it makes ${definition.types.join(', ')}`) };
  }
  const options = definition.optionsSchema.safeParse(request.options ?? {});
  if (!options.success) return { ok: false, error: invalidFromZod(options.error, 'options') };
  const generationRequest: GenerationRequest = { type: request.type, input: withoutNulls(request.input), options: options.data };
  const problem = definition.checkInput(generationRequest);
  if (problem) return { ok: false, error: invalidInput(problem.field, problem.message) };
  const { route, problem: refused } = registry.routeFor(definition.id, mode, generationRequest, excludeRoutes);
  if (!route && refused) return { ok: false, error: invalidInput(refused.field, `${refused.message} (no configured route of ${definition.id} makes this)`) };
  if (!route) {
    return {
      ok: false,
      error: new GatewayError('PROVIDER_UNAVAILABLE', `provider ${definition.id} has no credentials configured on this gateway; use a test key to try it on the sandbox`, {
        details: { provider: definition.id },
      }),
    };
  }
  const quote = registry.quote(definition, generationRequest, route);
  return { ok: true, plan: { definition, request: generationRequest, quote, credits: registry.credits(quote), route } };
}

function withoutNulls(input: ValidGenerateRequest['input']): GenerationInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as GenerationInput;
}

function rank(plans: PlannedGeneration[], priority: Priority): PlannedGeneration[] {
  const maxCredits = Math.max(...plans.map((plan) => plan.credits));
  const maxSeconds = Math.max(...plans.map((plan) => plan.quote.estimatedSeconds));
  const quality = (plan: PlannedGeneration) => plan.definition.qualityScore;
  const score: Record<Priority, (plan: PlannedGeneration) => number> = {
    QUALITY: (plan) => quality(plan) * 1000 - plan.credits / maxCredits,
    SPEED: (plan) => -plan.quote.estimatedSeconds * 1000 + quality(plan),
    COST: (plan) => -plan.credits * 1000 + quality(plan),
    BALANCED: (plan) => quality(plan) / 10 - 0.5 * (plan.credits / maxCredits) - 0.5 * (plan.quote.estimatedSeconds / maxSeconds),
  };
  return [...plans].sort((a, b) => score[priority](b) - score[priority](a));
}

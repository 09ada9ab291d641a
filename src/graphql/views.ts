import type { Account } from '../billing/account-repository.ts';
import type { RateLimitStatus } from '../billing/account-status.ts';
import { webhookSecretHint } from '../billing/api-keys.ts';
import type { GenerationType } from '../generations/generation.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { ProviderDefinition } from '../providers/spec.ts';

const sampleText = 'A serene landscape with mountains and a lake at sunset';

/** Price and time of a request with default options (required ones filled with a sample value), for the catalog. */
function samplePricing(registry: ProviderRegistry, definition: ProviderDefinition, type: GenerationType) {
  const required = registry.options(definition.id).filter((option) => option.required);
  const parsed = definition.optionsSchema.safeParse(Object.fromEntries(required.map((option) => [option.name, option.allowedValues?.[0] ?? 'sample'])));
  try {
    const quote = definition.quote({ type, input: { text: sampleText }, options: parsed.success ? parsed.data : {} });
    return { creditCost: registry.credits(quote), estimatedTime: quote.estimatedSeconds };
  } catch {
    return { creditCost: 0, estimatedTime: 0 };
  }
}

export function providerView(registry: ProviderRegistry, definition: ProviderDefinition, type?: GenerationType | null) {
  return {
    id: definition.id,
    name: definition.name,
    description: definition.description,
    types: definition.types,
    models: definition.models,
    features: definition.features,
    limitations: definition.limitations,
    pricing: samplePricing(registry, definition, type ?? definition.types[0]!),
    options: registry.options(definition.id).map((option) => ({ ...option, default: option.defaultValue })),
    available: registry.isAvailable(definition.id),
    routes: registry.routes(definition.id).map((route) => ({ ...route, provider: definition.id })),
    voices: definition.voices ?? [],
  };
}

export function accountView(account: Account, testMode: boolean, rateLimit: RateLimitStatus) {
  return { id: account.id, name: account.name, plan: account.plan, credits: account.credits, testMode, rateLimit, webhookSecretHint: webhookSecretHint(account.webhookSecret) };
}

import type { GenerationType } from '../shared/media-request.ts';
import type { ProviderRegistry } from './registry.ts';
import type { ProviderDefinition } from './spec.ts';

/** What every API surface that lists providers reads from the registry. */
export type ProviderCatalog = Pick<ProviderRegistry, 'list' | 'options' | 'credits' | 'isAvailable' | 'routes'>;

const sampleText = 'A serene landscape with mountains and a lake at sunset';

/** Price and time of a request with default options (required ones filled with a sample value), for the catalog. */
function samplePricing(catalog: ProviderCatalog, definition: ProviderDefinition, type: GenerationType) {
  const required = catalog.options(definition.id).filter((option) => option.required);
  const parsed = definition.optionsSchema.safeParse(Object.fromEntries(required.map((option) => [option.name, option.allowedValues?.[0] ?? 'sample'])));
  try {
    const quote = definition.quote({ type, input: { text: sampleText }, options: parsed.success ? parsed.data : {} });
    return { creditCost: catalog.credits(quote), estimatedTime: quote.estimatedSeconds };
  } catch {
    return { creditCost: 0, estimatedTime: 0 };
  }
}

/** The public face of a provider (GraphQL's `Provider`, REST's `/v1/providers`): one place to add a field. */
export function providerView(catalog: ProviderCatalog, definition: ProviderDefinition, type?: GenerationType | null) {
  return {
    id: definition.id,
    name: definition.name,
    description: definition.description,
    types: definition.types,
    models: definition.models,
    features: definition.features,
    limitations: definition.limitations,
    pricing: samplePricing(catalog, definition, type ?? definition.types[0]!),
    options: catalog.options(definition.id).map((option) => ({ ...option, default: option.defaultValue })),
    available: catalog.isAvailable(definition.id),
    routes: catalog.routes(definition.id).map((route) => ({ ...route, provider: definition.id })),
    voices: definition.voices ?? [],
  };
}

/** Every provider that makes `type` (all of them without one), as `providerView` shows each. */
export function providerViews(catalog: ProviderCatalog, type?: GenerationType | null) {
  return catalog.list(type).map((definition) => providerView(catalog, definition, type));
}

import { GatewayError } from '../errors/gateway-error.ts';
import type { GenerationType, KeyMode } from '../generations/generation.ts';
import { cometapiProvider } from './cometapi/provider.ts';
import { elevenLabsProvider } from './elevenlabs/provider.ts';
import { fluxDevProvider } from './flux-dev/provider.ts';
import { fluxKontextProvider } from './flux-kontext/provider.ts';
import { fluxProProvider } from './flux-pro/provider.ts';
import { fluxUltraProvider } from './flux-ultra/provider.ts';
import { heygenProvider } from './heygen/provider.ts';
import { imagenProvider } from './imagen/provider.ts';
import { klingProvider } from './kling/provider.ts';
import { lumaProvider } from './luma/provider.ts';
import { minimaxProvider } from './minimax/provider.ts';
import { describeOptions, type OptionDescriptor } from './option-descriptors.ts';
import { runwayProvider } from './runway/provider.ts';
import { sandboxProvider } from './sandbox/provider.ts';
import type { PollingPolicy, ProviderConnector, ProviderDefinition, ProviderSettings, Quote } from './spec.ts';
import { veoProvider } from './veo/provider.ts';

export const sandboxProviderId = 'sandbox';

export const builtInProviders: ProviderDefinition[] = [
  runwayProvider,
  cometapiProvider,
  klingProvider,
  minimaxProvider,
  lumaProvider,
  veoProvider,
  fluxDevProvider,
  fluxProProvider,
  fluxUltraProvider,
  fluxKontextProvider,
  imagenProvider,
  elevenLabsProvider,
  heygenProvider,
  sandboxProvider,
];

export interface RegistryOptions {
  definitions?: ProviderDefinition[];
  settings: Record<string, ProviderSettings>;
  creditsPerUsd: number;
}

/** Provider id → definition, its live connector (when configured) and its option list, all built once. */
export class ProviderRegistry {
  private readonly definitions = new Map<string, ProviderDefinition>();
  private readonly connectors = new Map<string, ProviderConnector>();
  private readonly optionLists = new Map<string, OptionDescriptor[]>();
  private readonly creditsPerUsd: number;
  private readonly settings: Record<string, ProviderSettings>;

  constructor(options: RegistryOptions) {
    this.creditsPerUsd = options.creditsPerUsd;
    this.settings = options.settings;
    for (const definition of options.definitions ?? builtInProviders) {
      this.definitions.set(definition.id, definition);
      this.optionLists.set(definition.id, describeOptions(definition.optionsSchema));
      const connector = definition.connect?.(options.settings[definition.id] ?? {});
      if (connector) this.connectors.set(definition.id, connector);
    }
    if (!this.connectors.has(sandboxProviderId)) throw new Error('the sandbox provider must be registered');
  }

  get(id: string): ProviderDefinition | undefined {
    return this.definitions.get(id);
  }

  list(type?: GenerationType | null): ProviderDefinition[] {
    return [...this.definitions.values()].filter((definition) => !type || definition.types.includes(type));
  }

  ids(): string[] {
    return [...this.definitions.keys()];
  }

  options(id: string): OptionDescriptor[] {
    return this.optionLists.get(id) ?? [];
  }

  /** True when live requests can reach this provider's upstream. */
  isAvailable(id: string): boolean {
    return this.connectors.has(id);
  }

  /** Test keys run everything on the sandbox; live keys need the provider's own connector. */
  executorFor(id: string, mode: KeyMode): string | null {
    if (mode === 'test') return sandboxProviderId;
    return this.connectors.has(id) ? id : null;
  }

  connector(executor: string): ProviderConnector {
    const connector = this.connectors.get(executor);
    if (!connector) throw new GatewayError('PROVIDER_UNAVAILABLE', `provider ${executor} is not configured on this gateway`, { retryable: true });
    return connector;
  }

  /** Our credits for a quote: never zero, rounded up so a price is never undercharged. */
  credits(quote: Pick<Quote, 'usd'>): number {
    return Math.max(1, Math.ceil(quote.usd * this.creditsPerUsd - 1e-9));
  }

  /** How often to poll a provider: its own policy, or one fixed interval when the settings override it. */
  polling(id: string): PollingPolicy {
    const override = Number(this.settings[id]?.pollIntervalMs);
    const policy = this.definitions.get(id)!.polling;
    return Number.isFinite(override) && override > 0 ? { initialDelayMs: override, intervalMs: override, maxIntervalMs: override } : policy;
  }
}

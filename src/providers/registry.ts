import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.ts';
import type { GenerationType } from '../shared/media-request.ts';
import { builtInHosts, builtInProviders } from './index.ts';
import { describeOptions, type OptionDescriptor } from './shared/option-descriptors.ts';
import { redactingConnector, settingsSecrets } from './shared/redacting-connector.ts';
import type { Connector, GenerationRequest, Host, HostedRoutes, InputProblem, PollingPolicy, ProviderDefinition, Quote, Route, Setting, SettingsSpec, SettingsValues } from './spec.ts';

export const sandboxProviderId = 'sandbox';

/** Each provider's routes in order: its own, then those other providers and hosts offer for it. */
export function routesOf(provider: ProviderDefinition, providers: ProviderDefinition[] = builtInProviders, hosts: Host[] = builtInHosts): Route[] {
  return [...provider.routes, ...[...providers, ...hosts].flatMap((host) => hostedRoutesFor(host, provider.id))];
}

/** The routes an upstream offers for one provider, held alike here as every route is (each was typed by that provider's options). */
function hostedRoutesFor(host: { hostedRoutes?: HostedRoutes }, providerId: string): Route[] {
  const byProvider: Partial<Record<string, Route[]>> = host.hostedRoutes ?? {};
  return byProvider[providerId] ?? [];
}

/** Every setting the providers' routes read, once per environment variable (routes of one vendor share theirs). */
export function providerSettings(providers: ProviderDefinition[] = builtInProviders, hosts: Host[] = builtInHosts): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  const routes = providers.flatMap((provider) => routesOf(provider, providers, hosts));
  for (const setting of routes.flatMap((route) => Object.values(route.settings))) settings.set(setting.env, setting);
  return settings;
}

/** The zod shape `config.ts` adds for the providers' settings, keyed by environment variable. */
export function providerSettingsShape(providers: ProviderDefinition[] = builtInProviders, hosts: Host[] = builtInHosts): Record<string, Setting['schema']> {
  return Object.fromEntries([...providerSettings(providers, hosts)].map(([env, setting]) => [env, setting.schema]));
}

export interface RouteStatus {
  id: string;
  configured: boolean;
}

/** A route ready to run generations: its connector and the polling pace to use with it. */
export interface ConnectedRoute {
  route: Route;
  connector: Connector;
  polling: PollingPolicy;
  /** The vendor's limit on tasks at once for this upstream (its `maxConcurrency` setting), or null for none. */
  maxConcurrency: number | null;
}

export interface RegistryOptions {
  providers?: ProviderDefinition[];
  hosts?: Host[];
  /** Parsed settings by environment variable name (config.ts's output). */
  settings: Record<string, unknown>;
  creditsPerUsd: number;
  /** UPSTREAM_POLL_INTERVAL_MS: one fixed polling interval for every live route (demos, tests against fakes). */
  pollIntervalMs?: number;
}

const routeKey = (providerId: string, routeId: string) => `${providerId}/${routeId}`;

/** Provider id → definition, its routes (connected when configured) and its option list, all built once. Nothing here is per provider. */
export class ProviderRegistry {
  private readonly definitions = new Map<string, ProviderDefinition>();
  private readonly connected = new Map<string, ConnectedRoute>();
  private readonly optionLists = new Map<string, OptionDescriptor[]>();
  /** Each provider's routes in order: its own, then those other providers host for it. */
  private readonly routeLists = new Map<string, Route[]>();
  private readonly creditsPerUsd: number;

  constructor(options: RegistryOptions) {
    this.creditsPerUsd = options.creditsPerUsd;
    const providers = options.providers ?? builtInProviders;
    for (const definition of providers) this.routeLists.set(definition.id, routesOf(definition, providers, options.hosts ?? builtInHosts));
    for (const definition of providers) {
      this.definitions.set(definition.id, definition);
      this.optionLists.set(definition.id, describeOptions(definition.optionsSchema));
      for (const route of this.routeLists.get(definition.id)!) {
        const values = settingsFor(route.settings, options.settings);
        if (!values) continue;
        const fixed =
          options.pollIntervalMs && !route.ignoresPollOverride ? { initialDelayMs: options.pollIntervalMs, intervalMs: options.pollIntervalMs, maxIntervalMs: options.pollIntervalMs } : null;
        const maxConcurrency = typeof values.maxConcurrency === 'number' ? values.maxConcurrency : null;
        this.connected.set(routeKey(definition.id, route.id), {
          route,
          connector: redactingConnector(route.connect(values), settingsSecrets(values)),
          polling: fixed ?? route.polling ?? definition.polling,
          maxConcurrency,
        });
      }
    }
    if (!this.connected.has(routeKey(sandboxProviderId, sandboxProviderId))) throw new Error('the sandbox provider and its route must be registered');
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

  /** The provider's routes in the order they are tried, and which of them have their settings. */
  routes(id: string): RouteStatus[] {
    return (this.routeLists.get(id) ?? []).map((route) => ({ id: route.id, configured: this.connected.has(routeKey(id, route.id)) }));
  }

  /** True when live requests can reach one of this provider's upstreams. */
  isAvailable(id: string): boolean {
    return this.routes(id).some((route) => route.configured);
  }

  /**
   * Test keys run everything on the sandbox; live keys run on the provider's first configured route that can make
   * the request. With no request, any configured route counts. A request no configured route can make gets the
   * first route's reason.
   */
  routeFor(id: string, mode: 'live' | 'test', request?: GenerationRequest, exclude: ReadonlySet<string> = new Set()): { route: string | null; problem?: InputProblem } {
    if (mode === 'test') return { route: exclude.has(sandboxProviderId) ? null : sandboxProviderId };
    let problem: InputProblem | undefined;
    for (const route of this.routeLists.get(id) ?? []) {
      if (!this.connected.has(routeKey(id, route.id)) || exclude.has(route.id)) continue;
      const refused = request ? route.checkRequest?.(request) : null;
      if (!refused) return { route: route.id };
      problem ??= refused;
    }
    return { route: null, problem };
  }

  /** The price of a request on a route: the route's own (a host's list) for live routes that have one, else the provider's. */
  quote(definition: ProviderDefinition, request: GenerationRequest, routeId: string): Quote {
    const route = this.routeLists.get(definition.id)?.find((candidate) => candidate.id === routeId);
    return route?.quote?.(request) ?? definition.quote(request);
  }

  /** The connector and polling pace of a generation's route. */
  connectedRoute(providerId: string, routeId: string): ConnectedRoute {
    const connected = this.connected.get(routeId === sandboxProviderId ? routeKey(sandboxProviderId, sandboxProviderId) : routeKey(providerId, routeId));
    if (!connected) throw new GatewayError('PROVIDER_UNAVAILABLE', `route ${routeId} of provider ${providerId} is not configured on this gateway`, { retryable: true });
    return connected;
  }

  /** The vendor's limit on tasks at once for a route, or null when it has none (or is not configured). */
  maxConcurrency(providerId: string, routeId: string): number | null {
    return this.connected.get(routeKey(providerId, routeId))?.maxConcurrency ?? null;
  }

  /** Our credits for a quote: never zero, rounded up so a price is never undercharged. */
  credits(quote: Pick<Quote, 'usd'>): number {
    return Math.max(1, Math.ceil(quote.usd * this.creditsPerUsd - 1e-9));
  }
}

/** A route's parsed settings, or null when a required one is missing (the route is not configured). */
export function settingsFor<Spec extends SettingsSpec>(spec: Spec, settings: Record<string, unknown>): SettingsValues<Spec> | null {
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(spec)) {
    const value = setting.env in settings ? settings[setting.env] : z.parse(setting.schema, undefined);
    if (setting.required && (value === undefined || value === null)) return null;
    values[name] = value;
  }
  return values as SettingsValues<Spec>;
}

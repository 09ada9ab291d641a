import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { builtInProviders } from '../../src/providers/index.ts';
import { ProviderRegistry, routesOf } from '../../src/providers/registry.ts';

/** Each route with its required settings, as a client configures it: one environment at a time. */
const routes = builtInProviders.flatMap((provider) =>
  routesOf(provider)
    .filter((route) => route.id !== 'sandbox')
    .map((route) => ({
      provider: provider.id,
      route: route.id,
      env: Object.values(route.settings)
        .filter((setting) => setting.required)
        .map((setting) => setting.env),
    })),
);

const registryWith = (env: Record<string, string>) => new ProviderRegistry({ settings: loadConfig(env), creditsPerUsd: 400 });

describe('provider availability follows the settings', () => {
  it('with no provider settings, only the sandbox is available', () => {
    const registry = registryWith({});
    expect(builtInProviders.filter((provider) => registry.isAvailable(provider.id)).map((provider) => provider.id)).toEqual(['sandbox']);
  });

  it.each(routes.map((entry) => [entry.provider, entry.route, entry]))("%s is available on its %s route once that route's settings are set, and not with one missing", (_provider, _route, entry) => {
    const values = Object.fromEntries(entry.env.map((name) => [name, `value-of-${name.toLowerCase()}`]));
    const configured = registryWith(values);
    expect(configured.isAvailable(entry.provider)).toBe(true);
    expect(configured.routes(entry.provider).find((route) => route.id === entry.route)).toEqual({ id: entry.route, configured: true });
    for (const missing of entry.env) {
      const partial = registryWith(Object.fromEntries(Object.entries(values).filter(([name]) => name !== missing)));
      expect(
        partial.routes(entry.provider).find((route) => route.id === entry.route),
        missing,
      ).toEqual({ id: entry.route, configured: false });
    }
  });
});

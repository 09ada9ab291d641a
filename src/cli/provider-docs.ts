import { builtInProviders } from '../providers/index.ts';
import { routesOf } from '../providers/registry.ts';
import type { ProviderDefinition } from '../providers/spec.ts';
import { withGeneratedSection } from './generated-section.ts';

/**
 * The README's provider table and the provider part of .env.example, made from the providers' own catalog and
 * settings so that adding a provider never means editing them by hand: `npm run docs` rewrites both, and a test
 * fails while they are out of date.
 */
export const readmeMarkers = { start: '<!-- providers:start (npm run docs) -->', end: '<!-- providers:end -->' };
export const envExampleMarker = "# --- Providers (written by `npm run docs` from each provider's settings) ---";

const code = (text: string) => `\`${text}\``;

export function providerTable(providers: ProviderDefinition[] = builtInProviders): string {
  const rows = providers.map((provider) => {
    const routes = routesOf(provider, providers);
    const routeText =
      routes.length === 0
        ? 'sandbox only (no live connector yet)'
        : routes
            .map(
              (route) =>
                `${code(route.id)}: ${
                  Object.values(route.settings)
                    .map((setting) => code(setting.env))
                    .join(', ') || 'no settings'
                }`,
            )
            .join('<br>');
    return `| ${code(provider.id)} | ${provider.types.join(', ')} | ${routeText} | ${provider.models.map(code).join(', ')} |`;
  });
  return ['| provider | types | routes, tried in order (settings) | models |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function providerEnvExample(providers: ProviderDefinition[] = builtInProviders): string {
  const seen = new Set<string>();
  const lines: string[] = [envExampleMarker];
  for (const route of providers.flatMap((provider) => routesOf(provider, providers))) {
    const settings = Object.values(route.settings).filter((setting) => !seen.has(setting.env));
    if (settings.length === 0) continue;
    lines.push('', `# Route ${route.id}.`);
    for (const setting of settings) {
      seen.add(setting.env);
      lines.push(`# ${setting.description}${setting.required ? ' (required for the route)' : ''}`, `${setting.env}=`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function withProviderTable(readme: string, table = providerTable()): string {
  return withGeneratedSection(readme, readmeMarkers, table);
}

export function withProviderSettings(envExample: string, section = providerEnvExample()): string {
  const start = envExample.indexOf(envExampleMarker);
  return `${start < 0 ? `${envExample.trimEnd()}\n\n` : envExample.slice(0, start)}${section}`;
}

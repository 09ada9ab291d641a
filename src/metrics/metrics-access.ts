import type { Config } from '../config.ts';

/** Who may read GET /metrics: holders of METRICS_TOKEN, anyone, or nobody (it answers 404 as if it did not exist). */
export type MetricsAccess = { kind: 'token'; token: string } | { kind: 'public' } | { kind: 'off' };

/**
 * METRICS_TOKEN when set; otherwise public unless METRICS_PUBLIC says no, which is its default with
 * NODE_ENV=production: queue depths, providers, routes and error rates are nobody's business on the internet.
 */
export function metricsAccess(config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_PUBLIC'>): MetricsAccess {
  if (config.METRICS_TOKEN) return { kind: 'token', token: config.METRICS_TOKEN };
  return config.METRICS_PUBLIC ? { kind: 'public' } : { kind: 'off' };
}

/** What an operator reads at start when /metrics is off, and how to turn it on. */
export const metricsOffWarning =
  'GET /metrics is OFF (answers 404): NODE_ENV=production and METRICS_TOKEN is unset. To scrape it, set METRICS_TOKEN (16+ characters; Prometheus sends it as a bearer token), or METRICS_PUBLIC=true to serve it to anyone who can reach this port';

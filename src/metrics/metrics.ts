import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where a count comes from when a Gauge is read at scrape time (queue depths, Redis reachability). */
export interface ScrapeSources {
  redisUp(): boolean;
  queueDepths(): Promise<Array<{ queue: string; state: string; count: number }>>;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The process's Prometheus metrics. Counters are per process (scrape every API and worker process);
 * queue depths are read from Redis at scrape time, so any one process reports them for all.
 */
export class Metrics {
  readonly registry = new Registry();
  private sources: ScrapeSources | null = null;

  readonly httpDuration = new Histogram({
    name: 'genway_http_request_duration_seconds',
    // Its _count is the number of requests answered, by route and status: no separate counter needed.
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route', 'status'],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly generationsSubmitted = new Counter({
    name: 'genway_generations_submitted_total',
    help: 'Generations handed to an upstream',
    labelNames: ['provider', 'route', 'type'],
    registers: [this.registry],
  });
  readonly generationsEnded = new Counter({
    name: 'genway_generations_finished_total',
    help: 'Generations that reached a final status, by provider, type and status',
    labelNames: ['provider', 'type', 'status'],
    registers: [this.registry],
  });
  readonly generationDuration = new Histogram({
    name: 'genway_generation_duration_seconds',
    help: 'From creation to a final status',
    labelNames: ['provider', 'type', 'status'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  readonly creditsCharged = new Counter({ name: 'genway_credits_charged_total', help: 'Credits kept from live generations', labelNames: ['provider'], registers: [this.registry] });
  readonly upstreamDuration = new Histogram({
    name: 'genway_upstream_request_duration_seconds',
    help: 'Upstream calls (submit, poll) by provider and route',
    labelNames: ['provider', 'route', 'call'],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'genway_upstream_errors_total',
    help: 'Upstream calls that threw, by code',
    labelNames: ['provider', 'route', 'call', 'code'],
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({ name: 'genway_webhook_deliveries_total', help: 'Webhook delivery attempts, by outcome', labelNames: ['outcome'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'genway_process_' });
    const metrics = this;
    new Gauge({
      name: 'genway_redis_up',
      help: '1 while Redis answers this process',
      registers: [this.registry],
      collect() {
        this.set(metrics.sources?.redisUp() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'genway_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const depths = await metrics.sources?.queueDepths().catch(() => []);
        for (const { queue, state, count } of depths ?? []) this.set({ queue, state }, count);
      },
    });
  }

  /** Set once the gateway exists (the metrics are created before it, so both gateways of one process can share them). */
  readFrom(sources: ScrapeSources) {
    this.sources = sources;
  }

  /** Times one upstream call, counting the ones that throw by their error code. */
  async timeUpstream<T>(labels: { provider: string; route: string; call: string }, call: () => Promise<T>): Promise<T> {
    const end = this.upstreamDuration.startTimer(labels);
    try {
      return await call();
    } catch (error) {
      this.upstreamErrors.inc({ ...labels, code: (error as { code?: string }).code ?? 'INTERNAL' });
      throw error;
    } finally {
      end();
    }
  }
}

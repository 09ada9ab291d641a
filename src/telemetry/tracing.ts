import { register } from 'node:module';

export interface TracingSettings {
  /** OTLP/HTTP collector origin; unset leaves tracing off, and none of its modules is even loaded. */
  endpoint: string | undefined;
  serviceName: string;
}

/** Stops tracing after sending what is left. */
export type StopTracing = () => Promise<void>;

/**
 * Starts OpenTelemetry tracing to an OTLP/HTTP collector: incoming HTTP, Redis commands and outgoing (undici) calls,
 * joined across the queue by the trace context each job carries. Must run before the gateway's modules load, so
 * that Node's import hook can instrument them.
 */
export async function startTracing(settings: TracingSettings): Promise<StopTracing> {
  if (!settings.endpoint) return async () => {};
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [
    { BatchSpanProcessor, NodeTracerProvider },
    { OTLPTraceExporter },
    { registerInstrumentations },
    { HttpInstrumentation },
    { UndiciInstrumentation },
    { IORedisInstrumentation },
    { resourceFromAttributes },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/resources'),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and scrapes would drown the traces that matter.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => /^\/(livez|readyz|healthz|metrics)\b/.test(request.url ?? '') }),
      new UndiciInstrumentation(),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  return () => provider.shutdown();
}

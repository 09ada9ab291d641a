import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** Carries the current trace into a job's data; undefined while tracing is off, so the job's data stays as it was. */
export function traceCarrier(): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

const tracer = trace.getTracer('genway');

/**
 * Runs one job step as a span in the trace the job was queued from (the request that made it), so one trace shows
 * it all. `isFailure` tells errors from the queue's own signals (a step that reschedules itself throws one).
 */
export function inQueuedTrace<T>(
  carrier: Record<string, string> | undefined,
  name: string,
  attributes: Record<string, string>,
  run: () => Promise<T>,
  isFailure: (error: unknown) => boolean = () => true,
): Promise<T> {
  // A job queued without a trace (tracing off where it was queued) runs as it is: no span, no context switch.
  if (!carrier) return run();
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await run();
    } catch (error) {
      if (isFailure(error)) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

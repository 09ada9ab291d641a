import { startFakeServer } from './fake-server.ts';

/** One span as OTLP/JSON carries it (ids in hex, kind as the proto enum: 2 server, 3 client, 5 consumer). */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  service: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ spans?: Array<Omit<CollectedSpan, 'attributes' | 'service'> & { attributes?: OtlpAttribute[] }> }>;
  }>;
}

const attributeValue = (value: OtlpValue) => value.stringValue ?? value.intValue ?? value.boolValue;
const attributesOf = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((attribute) => [attribute.key, attributeValue(attribute.value)]));

/** An OpenTelemetry collector's OTLP/HTTP traces endpoint (POST /v1/traces, JSON encoding), keeping every span. */
export async function startFakeOtlpCollector() {
  const spans: CollectedSpan[] = [];
  const server = await startFakeServer({
    handle: (request, send) => {
      if (request.method !== 'POST' || request.path !== '/v1/traces') return send(404, { error: 'not found' });
      for (const resourceSpans of (request.body as OtlpTraces).resourceSpans ?? []) {
        const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push({ ...span, attributes: attributesOf(span.attributes), service });
        }
      }
      send(200, { partialSuccess: {} });
    },
  });
  return { url: server.origin, spans, close: server.close };
}

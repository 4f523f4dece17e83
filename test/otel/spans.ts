// Real OpenTelemetry JS SDK spans for tests, and the bodies the SDK's own OTLP exporters make of
// them: the protobuf one (@opentelemetry/exporter-trace-otlp-proto) and the JSON one
// (@opentelemetry/exporter-trace-otlp-http) share these serializers.
import type { Tracer } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";

/** Runs `record` with a tracer and returns the spans it ended. */
export async function recordSpans(record: (tracer: Tracer) => void, resource: Record<string, string> = {}): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  record(provider.getTracer("agentry-tests", "1.0.0"));
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

export function protobufBody(spans: ReadableSpan[]): Buffer {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("the protobuf serializer returned nothing");
  return Buffer.from(bytes);
}

export function jsonBody(spans: ReadableSpan[]): Buffer {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("the JSON serializer returned nothing");
  return Buffer.from(bytes);
}

/** What the exporters do with an ExportTraceServiceResponse they receive. */
export const readProtobufResponse = (bytes: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(bytes);

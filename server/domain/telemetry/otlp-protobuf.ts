// OTLP's protobuf encoding of traces, decoded into the OTLP/JSON shape `otlpTraceRequestSchema`
// validates, so both encodings share one mapping to events. The messages are those of the
// OpenTelemetry protocol (opentelemetry/proto/{common,resource,trace}/v1 and
// collector/trace/v1, plus google.rpc.Status for error bodies), given to protobufjs as a
// reflection descriptor. Why not a package's generated code: the current
// @opentelemetry/otlp-transformer (0.301) writes requests with a hand-made encoder and reads
// only responses; the last release with a generated protobufjs root (0.216) pins SDK packages
// whose peer ranges exclude the API the current exporters need. The unit tests decode bodies
// made by the current exporter's own serializer, so a wrong field number here cannot pass.
import protobuf from "protobufjs/light.js";

const repeated = (type: string, id: number) => ({ rule: "repeated", type, id });
const field = (type: string, id: number) => ({ type, id });

// Field names are the OTLP/JSON (lowerCamelCase) names. Enums (SpanKind, StatusCode) are read as
// int32, which is their wire type: OTLP/JSON allows their numbers, and the mapping reads numbers.
const descriptor = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"] } },
                      fields: {
                        stringValue: field("string", 1),
                        boolValue: field("bool", 2),
                        intValue: field("int64", 3),
                        doubleValue: field("double", 4),
                        arrayValue: field("ArrayValue", 5),
                        kvlistValue: field("KeyValueList", 6),
                        bytesValue: field("bytes", 7),
                      },
                    },
                    ArrayValue: { fields: { values: repeated("AnyValue", 1) } },
                    KeyValueList: { fields: { values: repeated("KeyValue", 1) } },
                    KeyValue: { fields: { key: field("string", 1), value: field("AnyValue", 2) } },
                    InstrumentationScope: {
                      fields: {
                        name: field("string", 1),
                        version: field("string", 2),
                        attributes: repeated("KeyValue", 3),
                        droppedAttributesCount: field("uint32", 4),
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: {
                      fields: { attributes: repeated("opentelemetry.proto.common.v1.KeyValue", 1), droppedAttributesCount: field("uint32", 2) },
                    },
                  },
                },
              },
            },
            trace: {
              nested: {
                v1: {
                  nested: {
                    ResourceSpans: {
                      fields: {
                        resource: field("opentelemetry.proto.resource.v1.Resource", 1),
                        scopeSpans: repeated("ScopeSpans", 2),
                        schemaUrl: field("string", 3),
                      },
                    },
                    ScopeSpans: {
                      fields: {
                        scope: field("opentelemetry.proto.common.v1.InstrumentationScope", 1),
                        spans: repeated("Span", 2),
                        schemaUrl: field("string", 3),
                      },
                    },
                    Span: {
                      fields: {
                        traceId: field("bytes", 1),
                        spanId: field("bytes", 2),
                        traceState: field("string", 3),
                        parentSpanId: field("bytes", 4),
                        name: field("string", 5),
                        kind: field("int32", 6),
                        startTimeUnixNano: field("fixed64", 7),
                        endTimeUnixNano: field("fixed64", 8),
                        attributes: repeated("opentelemetry.proto.common.v1.KeyValue", 9),
                        droppedAttributesCount: field("uint32", 10),
                        events: repeated("Event", 11),
                        droppedEventsCount: field("uint32", 12),
                        links: repeated("Link", 13),
                        droppedLinksCount: field("uint32", 14),
                        status: field("Status", 15),
                        flags: field("fixed32", 16),
                      },
                      nested: {
                        Event: {
                          fields: {
                            timeUnixNano: field("fixed64", 1),
                            name: field("string", 2),
                            attributes: repeated("opentelemetry.proto.common.v1.KeyValue", 3),
                            droppedAttributesCount: field("uint32", 4),
                          },
                        },
                        Link: {
                          fields: {
                            traceId: field("bytes", 1),
                            spanId: field("bytes", 2),
                            traceState: field("string", 3),
                            attributes: repeated("opentelemetry.proto.common.v1.KeyValue", 4),
                            droppedAttributesCount: field("uint32", 5),
                            flags: field("fixed32", 6),
                          },
                        },
                      },
                    },
                    // Field 1 is reserved in the protocol.
                    Status: { fields: { message: field("string", 2), code: field("int32", 3) } },
                  },
                },
              },
            },
            collector: {
              nested: {
                trace: {
                  nested: {
                    v1: {
                      nested: {
                        ExportTraceServiceRequest: { fields: { resourceSpans: repeated("opentelemetry.proto.trace.v1.ResourceSpans", 1) } },
                        ExportTraceServiceResponse: { fields: { partialSuccess: field("ExportTracePartialSuccess", 1) } },
                        ExportTracePartialSuccess: { fields: { rejectedSpans: field("int64", 1), errorMessage: field("string", 2) } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    google: {
      nested: {
        protobuf: { nested: { Any: { fields: { typeUrl: field("string", 1), value: field("bytes", 2) } } } },
        rpc: {
          nested: {
            Status: { fields: { code: field("int32", 1), message: field("string", 2), details: repeated("google.protobuf.Any", 3) } },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
const ExportTraceServiceRequest = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
const ExportTraceServiceResponse = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");
const RpcStatus = root.lookupType("google.rpc.Status");

/** What OTLP/JSON calls them: 64-bit integers as strings, bytes as base64, NaN and infinities as strings. */
const JSON_MAPPING: protobuf.IConversionOptions = { longs: String, bytes: String, json: true, defaults: false };

function base64ToHex(value: unknown): unknown {
  return typeof value === "string" ? Buffer.from(value, "base64").toString("hex") : value;
}

/** OTLP/JSON departs from protobuf's JSON mapping for trace and span ids: they are hex, not base64. */
function idsToHex(holder: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (key in holder) holder[key] = base64ToHex(holder[key]);
}

type JsonObject = Record<string, unknown>;
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? (value as JsonObject[]) : []);

/**
 * An ExportTraceServiceRequest in protobuf's binary encoding → the same request as OTLP/JSON
 * would carry it (the shape `otlpTraceRequestSchema` validates). Throws an Error on bytes that
 * are not such a message (truncated, wrong wire types, nested past protobufjs's depth limit).
 */
export function decodeTraceRequestProtobuf(bytes: Uint8Array): JsonObject {
  const message = ExportTraceServiceRequest.decode(bytes);
  const request = ExportTraceServiceRequest.toObject(message, JSON_MAPPING) as JsonObject;
  for (const resourceSpans of objects(request.resourceSpans)) {
    for (const scopeSpans of objects(resourceSpans.scopeSpans)) {
      for (const span of objects(scopeSpans.spans)) {
        idsToHex(span, ["traceId", "spanId", "parentSpanId"]);
        for (const link of objects(span.links)) idsToHex(link, ["traceId", "spanId"]);
      }
    }
  }
  return request;
}

export interface TraceResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

/** An ExportTraceServiceResponse in protobuf's binary encoding (empty when every span was taken). */
export function encodeTraceResponseProtobuf(response: TraceResponse): Uint8Array {
  return ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject(response)).finish();
}

/** A google.rpc.Status, the body OTLP/HTTP gives failed protobuf requests. */
export function encodeRpcStatusProtobuf(status: { code: number; message: string }): Uint8Array {
  return RpcStatus.encode(RpcStatus.fromObject(status)).finish();
}

/** Decodes a google.rpc.Status (for tests and clients that read error bodies). */
export function decodeRpcStatusProtobuf(bytes: Uint8Array): { code: number; message: string } {
  const status = RpcStatus.toObject(RpcStatus.decode(bytes), { defaults: true }) as { code: number; message: string };
  return { code: status.code, message: status.message };
}

/** The deepest nesting of arrays and objects in a decoded value (stops counting past `stopAt`). */
export function nestingDepth(value: unknown, stopAt: number): number {
  if (value === null || typeof value !== "object") return 0;
  if (stopAt <= 0) return 1;
  let deepest = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    deepest = Math.max(deepest, nestingDepth(child, stopAt - 1));
    if (deepest >= stopAt) break;
  }
  return deepest + 1;
}

// OTLP/HTTP bodies as exporters send them (protobuf or JSON, gzip or not) and as they should not:
// every refusal is the API's error with the status the agent API documents.
import { gzipSync } from "node:zlib";
import protobuf from "protobufjs/light.js";
import { describe, expect, it } from "vitest";
import { jsonBody, protobufBody, readProtobufResponse, recordSpans } from "../../test/otel/spans";
import { decodeRpcStatusProtobuf } from "../domain/telemetry/otlp-protobuf";
import { ApiError } from "./http";
import { decodeOtlpTraceRequest, encodeOtlpErrorStatus, encodeOtlpTraceResponse, otlpFormatOf } from "./otlp-decode";
import { MAX_BODY_BYTES } from "./schemas";

const PROTOBUF = "application/x-protobuf";

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

const chatSpans = () =>
  recordSpans(
    (tracer) =>
      tracer
        .startSpan("chat gpt-4.1-mini", {
          attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4.1-mini", "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 300 },
        })
        .end(),
    { "service.name": "support-chatbot" },
  );

/** Wire bytes of an ExportTraceServiceRequest whose one attribute nests `depth` arrays deep. */
function deeplyNestedRequest(depth: number): Uint8Array {
  let anyValue = new protobuf.Writer()
    .uint32((1 << 3) | 2)
    .string("bottom")
    .finish(); // AnyValue.stringValue
  for (let i = 0; i < depth; i++) {
    const arrayValue = new protobuf.Writer()
      .uint32((1 << 3) | 2)
      .bytes(anyValue)
      .finish(); // ArrayValue.values
    anyValue = new protobuf.Writer()
      .uint32((5 << 3) | 2)
      .bytes(arrayValue)
      .finish(); // AnyValue.arrayValue
  }
  const keyValue = new protobuf.Writer()
    .uint32((1 << 3) | 2)
    .string("deep")
    .uint32((2 << 3) | 2)
    .bytes(anyValue)
    .finish();
  const span = new protobuf.Writer()
    .uint32((2 << 3) | 2)
    .bytes(new Uint8Array(8).fill(1))
    .uint32((9 << 3) | 2)
    .bytes(keyValue)
    .finish();
  const scopeSpans = new protobuf.Writer()
    .uint32((2 << 3) | 2)
    .bytes(span)
    .finish();
  const resourceSpans = new protobuf.Writer()
    .uint32((2 << 3) | 2)
    .bytes(scopeSpans)
    .finish();
  return new protobuf.Writer()
    .uint32((1 << 3) | 2)
    .bytes(resourceSpans)
    .finish();
}

describe("decodeOtlpTraceRequest", () => {
  it("decodes the protobuf exporter's body, plain and gzip-compressed, to the JSON exporter's shape", async () => {
    const spans = await chatSpans();
    const body = protobufBody(spans);
    const plain = decodeOtlpTraceRequest(body, PROTOBUF, undefined);
    expect(decodeOtlpTraceRequest(gzipSync(body), `${PROTOBUF}; charset=binary`, "gzip")).toEqual(plain);
    expect(JSON.stringify(plain)).toContain(`"spanId":"${spans[0]?.spanContext().spanId}"`);
    expect(plain).toMatchObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: "chat gpt-4.1-mini" }] }] }] });
  });

  it("still takes JSON, with or without a Content-Type, and gzip-compressed", async () => {
    const body = jsonBody(await chatSpans());
    const expected = JSON.parse(body.toString("utf8")) as unknown;
    expect(decodeOtlpTraceRequest(body, "application/json", undefined)).toEqual(expected);
    expect(decodeOtlpTraceRequest(body, null, null)).toEqual(expected);
    expect(decodeOtlpTraceRequest(gzipSync(body), "application/json", "GZIP")).toEqual(expected);
  });

  it("answers 415 for media types and encodings OTLP/HTTP does not define", () => {
    expect(refusal(() => decodeOtlpTraceRequest(Buffer.from("x"), "text/plain", undefined))).toMatchObject({ code: "unsupported_media_type" });
    expect(refusal(() => decodeOtlpTraceRequest(Buffer.from("x"), PROTOBUF, "br"))).toMatchObject({ code: "unsupported_media_type" });
  });

  it("answers 413 past 1 MiB, before and after gunzip", () => {
    const oversized = Buffer.alloc(MAX_BODY_BYTES + 1);
    expect(refusal(() => decodeOtlpTraceRequest(oversized, PROTOBUF, undefined))).toMatchObject({ code: "payload_too_large" });
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024));
    expect(bomb.length).toBeLessThan(10_000);
    expect(refusal(() => decodeOtlpTraceRequest(bomb, PROTOBUF, "gzip"))).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("decompressed") });
  });

  it("answers 400 for bytes that are not a trace export, broken gzip, or nesting deeper than JSON may", async () => {
    const truncated = protobufBody(await chatSpans()).subarray(0, 40);
    const notProtobuf = refusal(() => decodeOtlpTraceRequest(truncated, PROTOBUF, undefined));
    expect(notProtobuf).toMatchObject({ code: "invalid_request", message: expect.stringContaining("ExportTraceServiceRequest") });
    expect(refusal(() => decodeOtlpTraceRequest(Buffer.from("not gzip"), PROTOBUF, "gzip"))).toMatchObject({ code: "invalid_request", message: expect.stringContaining("gzip") });
    expect(refusal(() => decodeOtlpTraceRequest(Buffer.from(deeplyNestedRequest(30)), PROTOBUF, undefined))).toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("nested more than 64"),
    });
    // Deeper than protobufjs itself will go: its own limit answers, still as a 400.
    expect(refusal(() => decodeOtlpTraceRequest(Buffer.from(deeplyNestedRequest(200)), PROTOBUF, undefined))).toMatchObject({ code: "invalid_request" });
    // A shallow nesting is fine.
    expect(JSON.stringify(decodeOtlpTraceRequest(Buffer.from(deeplyNestedRequest(3)), PROTOBUF, undefined))).toContain('"stringValue":"bottom"');
  });
});

describe("otlpFormatOf", () => {
  it("names the encoding of each media type OTLP/HTTP uses", () => {
    expect(otlpFormatOf("application/x-protobuf")).toBe("protobuf");
    expect(otlpFormatOf("Application/JSON; charset=utf-8")).toBe("json");
    expect(otlpFormatOf(undefined)).toBe("json");
  });
});

describe("encodeOtlpTraceResponse", () => {
  const partial = { partialSuccess: { rejectedSpans: 1, errorMessage: "span 0: agent: required" } };

  it("answers protobuf requests in protobuf the exporters read", () => {
    const { contentType, body } = encodeOtlpTraceResponse(partial, "protobuf");
    expect(contentType).toBe("application/x-protobuf");
    expect(readProtobufResponse(body)).toEqual(partial);
  });

  it("answers JSON requests in JSON", () => {
    const { contentType, body } = encodeOtlpTraceResponse({}, "json");
    expect(contentType).toBe("application/json");
    expect(Buffer.from(body).toString("utf8")).toBe("{}");
  });
});

describe("encodeOtlpErrorStatus", () => {
  it("is a google.rpc.Status with the gRPC code for the error", () => {
    const { contentType, body } = encodeOtlpErrorStatus(new ApiError("invalid_request", "The body is not valid gzip."));
    expect(contentType).toBe("application/x-protobuf");
    expect(decodeRpcStatusProtobuf(body)).toEqual({ code: 3, message: "The body is not valid gzip." });
    expect(decodeRpcStatusProtobuf(encodeOtlpErrorStatus(new ApiError("rate_limited", "slow down")).body).code).toBe(8);
  });
});

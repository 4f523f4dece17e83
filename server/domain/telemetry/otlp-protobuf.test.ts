// The protobuf decoder against bodies made by OpenTelemetry JS's own serializers (those of
// @opentelemetry/exporter-trace-otlp-proto and -http): a span reads the same from either
// encoding, down to the events it becomes.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonBody, protobufBody, readProtobufResponse, recordSpans } from "../../../test/otel/spans";
import { mapTraceRequest, otlpTraceRequestSchema } from "./otlp-mapping";
import { decodeRpcStatusProtobuf, decodeTraceRequestProtobuf, encodeRpcStatusProtobuf, encodeTraceResponseProtobuf, nestingDepth } from "./otlp-protobuf";

const eventsOf = (payload: unknown, agentFromKey = false) => mapTraceRequest(otlpTraceRequestSchema.parse(payload), { agentFromKey });

describe("decodeTraceRequestProtobuf", () => {
  it("reads a GenAI span as OTLP/JSON carries it: hex ids, nanoseconds and 64-bit integers as digits, typed attribute values", async () => {
    const spans = await recordSpans(
      (tracer) => {
        const agent = tracer.startSpan("invoke_agent support-chatbot", { kind: SpanKind.INTERNAL, startTime: new Date("2026-11-25T10:00:00Z") });
        agent.end(new Date("2026-11-25T10:00:02Z"));
        const chat = tracer.startSpan("chat gpt-4.1-mini", {
          kind: SpanKind.CLIENT,
          startTime: new Date("2026-11-25T10:00:00.250Z"),
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4.1-mini",
            "gen_ai.usage.input_tokens": 1200,
            "gen_ai.usage.output_tokens": 300,
            "gen_ai.request.temperature": 0.2,
            "gen_ai.request.stop_sequences": ["END", "STOP"],
            "gen_ai.request.stream": false,
            "app.big_counter": 2 ** 60,
            "app.not_a_number": Number.NaN,
          },
        });
        chat.setStatus({ code: SpanStatusCode.ERROR, message: "rate limited upstream" });
        chat.addEvent("retry", { attempt: 2 });
        chat.end(new Date("2026-11-25T10:00:01.100Z"));
      },
      { "service.name": "support-chatbot", "service.instance.id": "worker-7" },
    );
    const [agentSpan, chatSpan] = spans;
    if (!agentSpan || !chatSpan) throw new Error("expected two spans");

    const decoded = decodeTraceRequestProtobuf(protobufBody(spans)) as {
      resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[];
    };
    const resourceSpans = decoded.resourceSpans[0];
    expect(resourceSpans?.resource.attributes).toEqual([
      { key: "service.name", value: { stringValue: "support-chatbot" } },
      { key: "service.instance.id", value: { stringValue: "worker-7" } },
    ]);
    expect(resourceSpans?.scopeSpans[0]?.scope).toEqual({ name: "agentry-tests", version: "1.0.0" });
    const [first, second] = resourceSpans?.scopeSpans[0]?.spans ?? [];
    expect(first).toMatchObject({
      traceId: agentSpan.spanContext().traceId,
      spanId: agentSpan.spanContext().spanId,
      name: "invoke_agent support-chatbot",
      kind: 1,
      startTimeUnixNano: "1795600800000000000",
      endTimeUnixNano: "1795600802000000000",
    });
    expect(second).toMatchObject({
      spanId: chatSpan.spanContext().spanId,
      kind: 3,
      startTimeUnixNano: "1795600800250000000",
      endTimeUnixNano: "1795600801100000000",
      status: { code: 2, message: "rate limited upstream" },
      events: [{ name: "retry", timeUnixNano: expect.stringMatching(/^\d{19}$/), attributes: [{ key: "attempt", value: { intValue: "2" } }] }],
    });
    expect(second?.attributes).toEqual([
      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
      { key: "gen_ai.provider.name", value: { stringValue: "openai" } },
      { key: "gen_ai.request.model", value: { stringValue: "gpt-4.1-mini" } },
      { key: "gen_ai.usage.input_tokens", value: { intValue: "1200" } },
      { key: "gen_ai.usage.output_tokens", value: { intValue: "300" } },
      { key: "gen_ai.request.temperature", value: { doubleValue: 0.2 } },
      { key: "gen_ai.request.stop_sequences", value: { arrayValue: { values: [{ stringValue: "END" }, { stringValue: "STOP" }] } } },
      { key: "gen_ai.request.stream", value: { boolValue: false } },
      // Exact, where JSON numbers would round it.
      { key: "app.big_counter", value: { intValue: "1152921504606846976" } },
      { key: "app.not_a_number", value: { doubleValue: "NaN" } },
    ]);
  });

  it("carries a child span's parent as hex", async () => {
    const spans = await recordSpans((tracer) => {
      const parent = tracer.startSpan("invoke_agent");
      tracer.startSpan("execute_tool", {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
      parent.end();
    });
    const child = spans.find((span) => span.name === "execute_tool");
    const parentId = child?.parentSpanContext?.spanId;
    expect(parentId).toMatch(/^[0-9a-f]{16}$/);
    const decoded = decodeTraceRequestProtobuf(protobufBody(spans)) as { resourceSpans: { scopeSpans: { spans: { name: string; parentSpanId?: string }[] }[] }[] };
    const decodedChild = decoded.resourceSpans[0]?.scopeSpans[0]?.spans.find((span) => span.name === "execute_tool");
    expect(decodedChild?.parentSpanId).toBe(parentId);
  });

  it("yields the same events as the JSON exporter's body for the same spans", async () => {
    const spans = await recordSpans(
      (tracer) => {
        tracer.startSpan("chat", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 10, "gen_ai.conversation.id": "c-1" } }).end();
        tracer.startSpan("execute_tool search_kb", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search_kb" } }).end();
        tracer.startSpan("plain work").end();
      },
      { "service.name": "ticket-router" },
    );
    const fromProtobuf = eventsOf(decodeTraceRequestProtobuf(protobufBody(spans)));
    const fromJson = eventsOf(JSON.parse(jsonBody(spans).toString("utf8")));
    expect(fromProtobuf.rejected).toEqual([]);
    expect(fromProtobuf.events.map(({ event }) => [event.type, event.agent])).toEqual([
      ["llm_call", "ticket-router"],
      ["tool_call", "ticket-router"],
      ["log", "ticket-router"],
    ]);
    expect(fromProtobuf).toEqual(fromJson);
  });

  it("any attributes an SDK span can carry map to the same event from protobuf as from JSON", async () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    );
    const value = fc.oneof(scalar, fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.integer(), { maxLength: 4 }));
    const attributes = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), value, { maxKeys: 8 });
    await fc.assert(
      fc.asyncProperty(attributes, fc.constantFrom("chat", "execute_tool", "invoke_agent", undefined), async (extra, operation) => {
        const spans = await recordSpans((tracer) => tracer.startSpan("span", { attributes: { ...(extra as Attributes), ...(operation ? { "gen_ai.operation.name": operation } : {}) } }).end(), {
          "service.name": "doc-classifier",
        });
        const fromProtobuf = eventsOf(decodeTraceRequestProtobuf(protobufBody(spans)), true);
        const fromJson = eventsOf(JSON.parse(jsonBody(spans).toString("utf8")), true);
        expect(fromProtobuf).toEqual(fromJson);
        expect(fromProtobuf.events).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses bytes that are not an ExportTraceServiceRequest", () => {
    expect(() => decodeTraceRequestProtobuf(Buffer.from([0x0a, 0x05, 0x01]))).toThrow(/range|truncat/i);
    expect(() => decodeTraceRequestProtobuf(Buffer.from('{"resourceSpans":[]}'))).toThrow();
  });

  it("reads an empty body as an empty request, as protobuf defines it", () => {
    expect(decodeTraceRequestProtobuf(Buffer.alloc(0))).toEqual({});
  });
});

describe("encodeTraceResponseProtobuf", () => {
  it("is read by the exporters' own response reader, partialSuccess included", () => {
    expect(readProtobufResponse(encodeTraceResponseProtobuf({ partialSuccess: { rejectedSpans: 2, errorMessage: "span 1: startTimeUnixNano: required" } }))).toEqual({
      partialSuccess: { rejectedSpans: 2, errorMessage: "span 1: startTimeUnixNano: required" },
    });
    const empty = encodeTraceResponseProtobuf({});
    expect(empty).toHaveLength(0);
    expect(readProtobufResponse(empty).partialSuccess).toBeUndefined();
  });
});

describe("google.rpc.Status", () => {
  it("round-trips a code and a message", () => {
    expect(decodeRpcStatusProtobuf(encodeRpcStatusProtobuf({ code: 3, message: "bad span" }))).toEqual({ code: 3, message: "bad span" });
  });
});

describe("nestingDepth", () => {
  it("counts arrays and objects, and stops counting past its bound", () => {
    expect(nestingDepth("text", 10)).toBe(0);
    expect(nestingDepth({ a: [1, { b: [] }] }, 10)).toBe(4);
    let deep: unknown = [];
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(nestingDepth(deep, 65)).toBe(66);
  });
});

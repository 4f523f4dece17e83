import { describe, expect, it } from "vitest";
import { eventSchema } from "../../agent-api/schemas";
import { anyValueToJson, countSpans, mapTraceRequest, otlpTraceRequestSchema, type OtlpKeyValue } from "./otlp-mapping";

const str = (key: string, value: string): OtlpKeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number | string): OtlpKeyValue => ({ key, value: { intValue: value } });

const START = "1764064800000000000"; // 2025-11-25T10:00:00Z
const END = "1764064801250000000"; // 1.25 s later

function request(spans: unknown[], resource: OtlpKeyValue[] = []) {
  return otlpTraceRequestSchema.parse({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: "test" }, spans }] }] });
}

function chatSpan(overrides: Record<string, unknown> = {}) {
  return {
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: "eee19b7ec3c1b174",
    parentSpanId: "eee19b7ec3c1b173",
    name: "chat gpt-4o",
    kind: 3,
    startTimeUnixNano: START,
    endTimeUnixNano: END,
    attributes: [
      str("gen_ai.operation.name", "chat"),
      str("gen_ai.provider.name", "openai"),
      str("gen_ai.request.model", "gpt-4o"),
      str("gen_ai.response.model", "gpt-4o-2024-08-06"),
      int("gen_ai.usage.input_tokens", "1200"),
      int("gen_ai.usage.output_tokens", 300),
      str("gen_ai.agent.name", "support-chatbot"),
      str("gen_ai.conversation.id", "conv-42"),
      { key: "gen_ai.request.temperature", value: { doubleValue: 0.2 } },
    ],
    status: { code: 1 },
    ...overrides,
  };
}

describe("mapTraceRequest", () => {
  it("maps a GenAI chat span to an llm_call with model, provider, tokens, agent, conversation and latency", () => {
    const { events, rejected } = mapTraceRequest(request([chatSpan()]), { agentFromKey: false });
    expect(rejected).toEqual([]);
    expect(events).toEqual([
      {
        spanIndex: 0,
        event: {
          id: "eee19b7ec3c1b174",
          type: "llm_call",
          timestamp: "2025-11-25T10:00:00.000Z",
          agent: "support-chatbot",
          taskId: "conv-42",
          traceId: "5b8efff798038103d269b633813fc60c",
          model: "gpt-4o",
          provider: "openai",
          inputTokens: 1200,
          outputTokens: 300,
          latencyMs: 1250,
          status: "ok",
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.request.temperature": 0.2,
            "otel.span.name": "chat gpt-4o",
            "otel.parent_span_id": "eee19b7ec3c1b173",
          },
        },
      },
    ]);
    // What the mapping produces is a valid event for the events pipeline.
    expect(eventSchema.safeParse(events[0]?.event).success).toBe(true);
  });

  it.each([
    ["chat", "llm_call"],
    ["text_completion", "llm_call"],
    ["generate_content", "llm_call"],
    ["embeddings", "llm_call"],
    ["execute_tool", "tool_call"],
    ["invoke_agent", "task_end"],
    ["create_agent", "task_end"],
  ])("operation %s becomes %s", (operation, type) => {
    const span = { spanId: "a1", startTimeUnixNano: START, attributes: [str("gen_ai.operation.name", operation)] };
    expect(mapTraceRequest(request([span]), { agentFromKey: true }).events[0]?.event.type).toBe(type);
  });

  it("a span without GenAI attributes is a log; one with a tool but no operation is a tool call", () => {
    const plain = { spanId: "p1", name: "GET /health", startTimeUnixNano: START, attributes: [str("http.method", "GET")] };
    const tool = { spanId: "t1", startTimeUnixNano: START, attributes: [str("gen_ai.tool.name", "search_kb")] };
    const { events } = mapTraceRequest(request([plain, tool]), { agentFromKey: true });
    expect(events.map(({ event }) => [event.type, event.tool])).toEqual([
      ["log", undefined],
      ["tool_call", "search_kb"],
    ]);
    expect(events[0]?.event.attributes).toEqual({ "http.method": "GET", "otel.span.name": "GET /health" });
  });

  it("falls back to gen_ai.system, gen_ai.response.model and the older token names", () => {
    const span = {
      spanId: "old",
      startTimeUnixNano: START,
      attributes: [str("gen_ai.system", "anthropic"), str("gen_ai.response.model", "claude-sonnet-4"), int("gen_ai.usage.prompt_tokens", 10), int("gen_ai.usage.completion_tokens", 5)],
    };
    const event = mapTraceRequest(request([span]), { agentFromKey: true }).events[0]?.event;
    expect(event).toMatchObject({ type: "llm_call", provider: "anthropic", model: "claude-sonnet-4", inputTokens: 10, outputTokens: 5 });
  });

  it("marks status code 2 (and error.type) as an error", () => {
    const failed = chatSpan({ spanId: "f1", status: { code: 2, message: "rate limited upstream" } });
    const named = chatSpan({ spanId: "f2", status: { code: "STATUS_CODE_ERROR" } });
    const typed = { spanId: "f3", startTimeUnixNano: START, attributes: [str("error.type", "timeout")] };
    const { events } = mapTraceRequest(request([failed, named, typed]), { agentFromKey: true });
    expect(events.map(({ event }) => event.status)).toEqual(["error", "error", "error"]);
    expect(events[0]?.event.attributes?.["otel.status.message"]).toBe("rate limited upstream");
  });

  it("finds the agent on the span, then the resource, then service.name (ingest keys)", () => {
    const bare = { spanId: "b1", startTimeUnixNano: START, attributes: [str("gen_ai.operation.name", "chat")] };
    const byId = { spanId: "b2", startTimeUnixNano: START, attributes: [str("gen_ai.agent.id", "agent-7")] };
    const options = { agentFromKey: false };
    expect(mapTraceRequest(request([bare], [str("gen_ai.agent.name", "res-agent"), str("service.name", "svc")]), options).events[0]?.event.agent).toBe("res-agent");
    expect(mapTraceRequest(request([bare], [str("service.name", "svc")]), options).events[0]?.event.agent).toBe("svc");
    expect(mapTraceRequest(request([byId], [str("service.name", "svc")]), options).events[0]?.event.agent).toBe("agent-7");
  });

  it("rejects a span that names no agent with an ingest key (SDK default service names do not count)", () => {
    const bare = { spanId: "b1", startTimeUnixNano: START };
    const result = mapTraceRequest(request([bare], [str("service.name", "unknown_service:node")]), { agentFromKey: false });
    expect(result.events).toEqual([]);
    expect(result.rejected).toEqual([{ spanIndex: 0, message: expect.stringContaining("gen_ai.agent.name") }]);
  });

  it("with an agent key, the key names the agent and the span's agent attributes stay in attributes", () => {
    const event = mapTraceRequest(request([chatSpan()], [str("service.name", "svc")]), { agentFromKey: true }).events[0]?.event;
    expect(event?.agent).toBeUndefined();
    expect(event?.attributes?.["gen_ai.agent.name"]).toBe("support-chatbot");
  });

  it("rejects malformed spans one by one and keeps counting span positions across resources", () => {
    const parsed = otlpTraceRequestSchema.parse({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { spanId: "ok1", startTimeUnixNano: START },
                { spanId: 42, startTimeUnixNano: START },
              ],
            },
          ],
        },
        {
          scopeSpans: [
            {
              spans: [
                { spanId: "ok2", startTimeUnixNano: "soon" },
                { spanId: "ok3", startTimeUnixNano: 0 },
                { spanId: "ok4", startTimeUnixNano: Number(START) },
              ],
            },
          ],
        },
      ],
    });
    const result = mapTraceRequest(parsed, { agentFromKey: true });
    expect(result.spanCount).toBe(5);
    expect(countSpans(parsed)).toBe(5);
    expect(result.events.map(({ spanIndex, event }) => [spanIndex, event.id])).toEqual([
      [0, "ok1"],
      [4, "ok4"],
    ]);
    expect(result.rejected.map(({ spanIndex, message }) => [spanIndex, message.split(":")[0]])).toEqual([
      [1, "spanId"],
      [2, "startTimeUnixNano"],
      [3, "startTimeUnixNano"],
    ]);
  });

  it("an end before the start gives no latency rather than a negative one", () => {
    const span = { spanId: "e1", startTimeUnixNano: END, endTimeUnixNano: START };
    expect(mapTraceRequest(request([span]), { agentFromKey: true }).events[0]?.event.latencyMs).toBeUndefined();
  });

  it("takes the null OpenTelemetry JS's JSON exporter sends for a NaN attribute, instead of refusing the span", () => {
    const span = chatSpan({ attributes: [{ key: "score", value: { doubleValue: null } }] });
    const { events, rejected } = mapTraceRequest(request([span]), { agentFromKey: true });
    expect(rejected).toEqual([]);
    expect(events[0]?.event.attributes).toMatchObject({ score: null });
  });
});

describe("anyValueToJson", () => {
  it("turns nested values into plain JSON and keeps big integers exact as strings", () => {
    expect(
      anyValueToJson({
        kvlistValue: {
          values: [
            { key: "list", value: { arrayValue: { values: [{ intValue: "7" }, { boolValue: false }, { doubleValue: "NaN" }] } } },
            { key: "big", value: { intValue: "9007199254740993" } },
            { key: "__proto__", value: { stringValue: "data, not a prototype" } },
            { key: "empty" },
          ],
        },
      }),
    ).toEqual(JSON.parse('{"list":[7,false,"NaN"],"big":"9007199254740993","__proto__":"data, not a prototype","empty":null}'));
  });
});

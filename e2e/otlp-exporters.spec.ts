// OpenTelemetry's own JS exporters against the running app: an agent instrumented with the
// OpenTelemetry SDK exports GenAI spans over OTLP/HTTP, in protobuf (@opentelemetry/
// exporter-trace-otlp-proto, once gzip-compressed) and in JSON (@opentelemetry/exporter-trace-otlp-http),
// and the spans become the events an owner then finds on the Events page.
import { randomUUID } from "node:crypto";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter as OtlpHttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import { demoFile, expect, signedInAs, test, withDatabase } from "./fixtures";

interface Exported {
  spans: ReadableSpan[];
  failures: string[];
}

/** Passes spans on to the real exporter and keeps those it reported exported, and its failures. */
function recording(exporter: SpanExporter, exported: Exported): SpanExporter {
  return {
    export(spans: ReadableSpan[], done) {
      exporter.export(spans, (result) => {
        if (result.code === 0) exported.spans.push(...spans);
        else exported.failures.push(String(result.error ?? "export failed"));
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

interface SentTask {
  conversation: string;
  traceId: string;
  spanIds: { agent: string; chat: string; tool: string };
}

/** One agent task as GenAI instrumentation reports it: invoke_agent around a chat call and a tool call. */
function recordTask(tracer: Tracer, conversation: string, agentName?: string): SentTask {
  const shared = { "gen_ai.conversation.id": conversation, ...(agentName ? { "gen_ai.agent.name": agentName } : {}) };
  const agentSpan = tracer.startSpan("invoke_agent", { kind: SpanKind.INTERNAL, attributes: { "gen_ai.operation.name": "invoke_agent", ...shared } });
  const inside = trace.setSpan(ROOT_CONTEXT, agentSpan);
  const chat = tracer.startSpan(
    "chat gpt-4.1-mini",
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4.1-mini",
        "gen_ai.usage.input_tokens": 1200,
        "gen_ai.usage.output_tokens": 300,
        ...shared,
      },
    },
    inside,
  );
  chat.setStatus({ code: SpanStatusCode.OK });
  chat.end();
  const tool = tracer.startSpan("execute_tool kb_search", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "kb_search", ...shared } }, inside);
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "search index unavailable" });
  tool.end();
  agentSpan.end();
  return {
    conversation,
    traceId: agentSpan.spanContext().traceId,
    spanIds: { agent: agentSpan.spanContext().spanId, chat: chat.spanContext().spanId, tool: tool.spanContext().spanId },
  };
}

async function exportTask(exporter: SpanExporter, resource: Record<string, string>, agentName?: string): Promise<{ task: SentTask; exported: Exported }> {
  const exported: Exported = { spans: [], failures: [] };
  const provider = new TracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor({ exporter: recording(exporter, exported) })] });
  const task = recordTask(provider.getTracer("e2e-agent", "1.0.0"), `otlp-e2e-${randomUUID()}`, agentName);
  await provider.forceFlush();
  await provider.shutdown();
  return { task, exported };
}

async function storedEvents(taskId: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query<{
      event_id: string;
      agent: string;
      type: string;
      model: string | null;
      input_tokens: number | null;
      output_tokens: number | null;
      cost_micros: string | null;
      tool: string | null;
      status: string | null;
      trace_id: string | null;
      instance_id: string | null;
    }>(
      `SELECT e.event_id, a.name AS agent, e.type, e.model, e.input_tokens, e.output_tokens, e.cost_micros::text, e.tool, e.status, e.trace_id, e.instance_id
         FROM events e JOIN agents a ON a.id = e.agent_id WHERE e.task_id = $1 ORDER BY e.type::text`,
      [taskId],
    );
    return rows;
  });
}

function expectTaskStored(rows: Awaited<ReturnType<typeof storedEvents>>, task: SentTask, agent: string) {
  expect(rows.map((row) => [row.type, row.event_id])).toEqual([
    ["llm_call", task.spanIds.chat],
    ["task_end", task.spanIds.agent],
    ["tool_call", task.spanIds.tool],
  ]);
  expect(rows.every((row) => row.agent === agent && row.trace_id === task.traceId)).toBe(true);
  // Priced from the registry: 1200 × $0.40/M + 300 × $1.60/M = $0.00096.
  expect(rows[0]).toMatchObject({ model: "gpt-4.1-mini", input_tokens: 1200, output_tokens: 300, cost_micros: "960", status: "ok" });
  expect(rows[2]).toMatchObject({ tool: "kb_search", status: "error" });
}

const url = (baseURL: string | undefined) => `${baseURL ?? ""}/api/v1/otlp/v1/traces`;

function agentKey(name: string): string {
  const key = demoFile().agentKeys[name];
  if (!key) throw new Error(`demo.json has no key for ${name}`);
  return key;
}

test.describe("OpenTelemetry's OTLP exporters", () => {
  signedInAs("owner");

  test("the protobuf exporter, gzip-compressed, with an agent key: the spans become events on the Events page", async ({ events, baseURL }) => {
    const exporter = new OtlpHttpProtobufExporter({
      url: url(baseURL),
      headers: { Authorization: `Bearer ${agentKey("kb-summarizer")}` },
      compression: CompressionAlgorithm.GZIP,
    });
    const { task, exported } = await exportTask(exporter, { "service.name": "kb-summarizer", "service.instance.id": "otlp-proto-1" });
    expect(exported.failures).toEqual([]);
    expect(exported.spans).toHaveLength(3);

    const rows = await storedEvents(task.conversation);
    expectTaskStored(rows, task, "kb-summarizer");
    expect(rows.every((row) => row.instance_id === "otlp-proto-1")).toBe(true);

    await events.goto({ taskId: task.conversation });
    await expect(events.heading("Events")).toBeVisible();
    await expect(events.eventButton("llm_call", task.spanIds.chat)).toBeVisible();
    await expect(events.eventButton("tool_call", task.spanIds.tool)).toBeVisible();
    await expect(events.eventButton("task_end", task.spanIds.agent)).toBeVisible();
    const chatRow = events.eventRow("llm_call", task.spanIds.chat);
    await expect(chatRow).toContainText("gpt-4.1-mini");
    await expect(chatRow).toContainText("1,200 / 300");
  });

  test("the protobuf exporter with an org ingest key: each span's gen_ai.agent.name names its agent; a re-export is not counted twice", async ({ baseURL }) => {
    const ingestKey = demoFile().ingestKey;
    if (!ingestKey) throw new Error("the demo has no ingest key");
    const exporter = () => new OtlpHttpProtobufExporter({ url: url(baseURL), headers: { Authorization: `Bearer ${ingestKey}` } });
    const { task, exported } = await exportTask(exporter(), {}, "ticket-router");
    expect(exported.failures).toEqual([]);
    expect(exported.spans).toHaveLength(3);
    expectTaskStored(await storedEvents(task.conversation), task, "ticket-router");

    // The same spans exported again, as after an answer that was lost: the span ids dedupe them.
    const again = exporter();
    const result = await new Promise<{ code: number }>((resolve) => again.export(exported.spans, resolve));
    await again.shutdown();
    expect(result.code).toBe(0);
    expectTaskStored(await storedEvents(task.conversation), task, "ticket-router");
  });

  test("the JSON exporter: the same spans become the same events", async ({ baseURL }) => {
    const exporter = new OtlpHttpJsonExporter({ url: url(baseURL), headers: { Authorization: `Bearer ${agentKey("seo-optimizer")}` } });
    const { task, exported } = await exportTask(exporter, { "service.name": "seo-optimizer" });
    expect(exported.failures).toEqual([]);
    expect(exported.spans).toHaveLength(3);
    expectTaskStored(await storedEvents(task.conversation), task, "seo-optimizer");
  });
});

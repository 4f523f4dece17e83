// A help-desk triage agent that talks to Agentry over plain HTTP (fetch), with no Agentry SDK:
// it asks POST /api/v1/decide before each tool call and runs only what is allowed, takes its
// model from Agentry's routing, and reports its work as OpenTelemetry GenAI spans through the
// OpenTelemetry JS SDK's OTLP/HTTP protobuf exporter (each span becomes an event in Agentry).
//
//   AGENTRY_URL=http://localhost:3000 AGENTRY_KEY=agt_... node --import tsx examples/plain-http-agent/agent.ts TICKET-42
//
// (with the demo: the ticket-router key from .data/demo.json). It prints what happened as JSON.
// The model and the tools are stand-ins (answerWithModel, TOOLS): put your own in their place.
import { randomUUID } from "node:crypto";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

const AGENT = "ticket-router";
const baseUrl = (process.env.AGENTRY_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const apiKey = process.env.AGENTRY_KEY ?? "";

// ---- Agentry's decide, over HTTP ------------------------------------------------------------------

interface Decision {
  decision: "allow" | "deny" | "require_approval";
  decisionId: string;
  reasons: { code: string; message: string }[];
  approvalId?: string;
  model?: { name: string; provider: string; fallbacks: { name: string; provider: string }[] };
  directives: { halt: boolean; reason?: string };
}

/** Asks before acting. Retries what is worth retrying (429 after Retry-After, 5xx, lost connections); a deny is an answer. */
async function decide(body: Record<string, unknown>, attempts = 4): Promise<Decision> {
  for (let attempt = 0; ; attempt++) {
    let response: Response | null = null;
    try {
      response = await fetch(`${baseUrl}/api/v1/decide`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      if (attempt + 1 >= attempts) throw error;
    }
    if (response?.ok) return (await response.json()) as Decision;
    if (response && response.status !== 429 && response.status < 500) {
      throw new Error(`decide answered ${response.status}: ${await response.text()}`);
    }
    if (attempt + 1 >= attempts) throw new Error(`decide kept failing (${response?.status ?? "no answer"})`);
    const retryAfter = Number(response?.headers.get("retry-after"));
    await new Promise((resolve) => setTimeout(resolve, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.random() * 250 * 2 ** attempt));
  }
}

// ---- stand-ins for your model and your systems --------------------------------------------------------

const TOOLS: Record<string, (args: Record<string, string>) => unknown> = {
  ticket_read: ({ ticketId }) => ({ ticketId, text: "The printer on the 3rd floor is offline again.", duplicateOf: `${ticketId}-OLD` }),
  kb_search: ({ query }) => [{ title: "Printer offline: restart the spooler", score: 0.91, query }],
  ticket_assign: ({ ticketId, queue }) => ({ ticketId, queue, assigned: true }),
  delete_records: ({ ticketId }) => ({ deleted: ticketId }),
};

function answerWithModel(model: string, prompt: string) {
  const content = /printer|network|laptop/i.test(prompt) ? "IT/hardware" : "IT/general";
  return { content, inputTokens: prompt.split(/\s+/).length * 4, outputTokens: 8, model };
}

// ---- the agent ------------------------------------------------------------------------------------------

interface ToolCall {
  tool: string;
  decision: Decision["decision"];
  decisionId: string;
  ran: boolean;
}

async function governedTool(tracer: Tracer, parent: Context, conversationId: string, calls: ToolCall[], tool: string, args: Record<string, string>) {
  const answer = await decide({ action: { type: "tool", name: tool, arguments: args }, taskId: conversationId });
  const call: ToolCall = { tool, decision: answer.decision, decisionId: answer.decisionId, ran: false };
  calls.push(call);
  // Only an allow runs the tool; this agent does not wait for approvals (see the Python example for that).
  if (answer.decision !== "allow") return null;
  const span = tracer.startSpan(
    `execute_tool ${tool}`,
    { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": tool, "gen_ai.conversation.id": conversationId, "agentry.decision_id": answer.decisionId } },
    parent,
  );
  try {
    const result = TOOLS[tool]?.(args);
    span.setStatus({ code: SpanStatusCode.OK });
    call.ran = true;
    return result;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

export async function triage(ticketId: string) {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": AGENT, "service.instance.id": "triage-1" }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${baseUrl}/api/v1/otlp/v1/traces`, headers: { Authorization: `Bearer ${apiKey}` } }) })],
  });
  const tracer = provider.getTracer("plain-http-agent", "1.0.0");
  const conversationId = `conv-${randomUUID()}`;
  const calls: ToolCall[] = [];

  // Which model to use is routing's call; the answer also says whether this agent may work at all.
  const routed = await decide({ action: { type: "model", name: "auto" }, taskType: "classification", taskId: conversationId });
  if (routed.directives.halt || routed.decision !== "allow" || !routed.model) {
    await provider.shutdown();
    return { conversationId, halted: routed.directives.reason ?? routed.decision };
  }
  const model = routed.model;

  const root = tracer.startSpan(`invoke_agent ${AGENT}`, {
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": AGENT, "gen_ai.conversation.id": conversationId },
  });
  const inside = trace.setSpan(ROOT_CONTEXT, root);
  let queue = "";
  try {
    const ticket = (await governedTool(tracer, inside, conversationId, calls, "ticket_read", { ticketId })) as { text: string; duplicateOf: string } | null;
    if (ticket) {
      const chat = tracer.startSpan(`chat ${model.name}`, { kind: SpanKind.CLIENT }, inside);
      const answer = answerWithModel(model.name, `Which queue handles: ${ticket.text}`);
      chat.setAttributes({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": model.provider,
        "gen_ai.request.model": model.name,
        "gen_ai.usage.input_tokens": answer.inputTokens,
        "gen_ai.usage.output_tokens": answer.outputTokens,
        "gen_ai.conversation.id": conversationId,
      });
      chat.end();
      queue = answer.content;
      await governedTool(tracer, inside, conversationId, calls, "kb_search", { query: `${ticket.text} ${ticketId}` });
      await governedTool(tracer, inside, conversationId, calls, "ticket_assign", { ticketId, queue });
      // Tidying up the duplicate would delete records: the demo's policies deny that to every agent.
      await governedTool(tracer, inside, conversationId, calls, "delete_records", { ticketId: ticket.duplicateOf });
    }
  } finally {
    root.end();
    await provider.shutdown(); // exports what is left
  }
  return { conversationId, model: { name: model.name, provider: model.provider }, queue, toolCalls: calls };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!apiKey) throw new Error("Set AGENTRY_KEY to the agent's key");
  const ticketId = process.argv[2] ?? `TICKET-${Date.now()}`;
  console.log(JSON.stringify(await triage(ticketId), null, 2));
}

// The MCP server at /api/v1/mcp: an MCP-speaking agent is governed with no custom code. It offers
// the agent API as three tools (decide, get_directives, report_events), each through the same
// function and the same zod schemas as its HTTP endpoint. Streamable HTTP in stateless mode: every
// POST is answered on its own (JSON, no session), so any replica can serve any call.
import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { OrgFacts } from "../domain/decide/types";
import { type AgentPrincipal, type AgentProfile } from "./auth";
import { decide } from "./decide";
import { directivesFor } from "./directives";
import { ApiError, logServerError } from "./http";
import { ingestEvents } from "./ingest";
import { decideRequestSchema, decideResponseSchema, directivesSchema, eventSchema, eventsResponseSchema, MAX_EVENTS_PER_BATCH } from "./schemas";

export const MCP_SERVER_NAME = "agentry";
export const MCP_SERVER_VERSION = "1.0.0";

/**
 * The API's schemas carry an OpenAPI id, which makes zod's JSON Schema a bare `$ref` at the root;
 * MCP wants `type: "object"` there. The same shape, without the id, keeps the root inline.
 */
const inline = <Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) => z.object(schema.shape);

/** report_events takes typed events (so the tool's JSON Schema tells the model what an event is). */
export const reportEventsInputSchema = z.object({
  events: z
    .array(eventSchema)
    .min(1)
    .max(MAX_EVENTS_PER_BATCH)
    .meta({ description: `1 to ${MAX_EVENTS_PER_BATCH} telemetry events` }),
});

/** A tool's answer: the structured result, and the same as JSON text for clients that read only text. */
function result(value: object): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> };
}

/**
 * Our own refusals (bad task type, no valid event …) reach the agent as tool errors it can read;
 * anything unexpected is logged and answered without internals.
 */
async function guarded(context: { requestId: string; tool: string }, work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) {
      const details = error.details?.map((detail) => `${detail.path}: ${detail.message}`).join("; ");
      return { content: [{ type: "text", text: `${error.code}: ${error.message}${details ? ` (${details})` : ""}` }], isError: true };
    }
    logServerError({ requestId: context.requestId, method: "MCP", path: "/api/v1/mcp", tool: context.tool, error });
    return { content: [{ type: "text", text: "internal_error: Something went wrong on our side; the call can be retried safely." }], isError: true };
  }
}

/** The tools, bound to the agent whose key made this request. */
export function createAgentMcpServer(principal: AgentPrincipal, facts: OrgFacts, agent: AgentProfile, requestId: string): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: MCP_SERVER_VERSION }, { capabilities: { tools: {} } });

  server.registerTool(
    "decide",
    {
      title: "Ask before acting",
      description:
        "Ask Agentry whether you may take an action (call a tool, use a model, touch a data class, delegate) before you take it. " +
        "Answers allow, deny or require_approval with the reasons. Never act on deny. With require_approval, a person must approve first: " +
        'the answer carries approvalId. {action:{type:"model", name:"auto"}, taskType} asks which model to use.',
      inputSchema: inline(decideRequestSchema),
      outputSchema: inline(decideResponseSchema),
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
    },
    (request) => guarded({ requestId, tool: "decide" }, async () => result(await decide(principal, facts, agent, request))),
  );

  server.registerTool(
    "get_directives",
    {
      title: "What must I do now",
      description: "Your current directives: whether to halt (and why), your remaining budget, the version to run. Check them before long work and obey halt.",
      inputSchema: z.object({}),
      outputSchema: inline(directivesSchema),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => guarded({ requestId, tool: "get_directives" }, async () => result(await directivesFor(facts, agent))),
  );

  server.registerTool(
    "report_events",
    {
      title: "Report telemetry",
      description:
        "Report what you did: LLM calls (model, tokens, cost), tool calls, task start/end, errors, logs. Give each event a unique id; " +
        "a re-sent event is counted once. Answers how many were accepted, duplicates, the events refused and why, and your directives.",
      inputSchema: reportEventsInputSchema,
      outputSchema: inline(eventsResponseSchema),
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
    },
    (input) => guarded({ requestId, tool: "report_events" }, async () => result((await ingestEvents(principal, facts, input)).body)),
  );

  return server;
}

/** POST /api/v1/mcp, after the route authenticated the agent key and read the body: a fresh stateless transport answers. */
export async function handleMcpPost(
  request: IncomingMessage,
  response: ServerResponse,
  context: { principal: AgentPrincipal; facts: OrgFacts; agent: AgentProfile; body: unknown; requestId: string },
): Promise<void> {
  const server = createAgentMcpServer(context.principal, context.facts, context.agent, context.requestId);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    await transport.handleRequest(request, response, context.body);
  } finally {
    // With JSON responses the answer is complete here; closing frees the per-request server.
    await server.close().catch(() => {});
  }
}

/** Stateless: no standalone event stream to open (GET) and no session to end (DELETE). */
export const MCP_METHOD_NOT_ALLOWED = {
  status: 405,
  body: { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this MCP server is stateless; send JSON-RPC with POST." }, id: null },
  headers: { Allow: "POST" },
} as const;

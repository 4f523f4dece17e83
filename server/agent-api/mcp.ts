// The MCP server at /api/v1/mcp: an MCP-speaking agent is governed with no custom code. It offers
// the agent API as three tools (decide, get_directives, report_events), each through the same
// function and the same zod schemas as its HTTP endpoint. Streamable HTTP in stateless mode: every
// POST is answered on its own (JSON, no session), so any replica can serve any call.
import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { authenticateAgent, requireAgentKey, type AgentPrincipal, type AgentProfile } from "./auth";
import { decide } from "./decide";
import { directivesFor } from "./directives";
import { ApiError, parseJsonText, readBody } from "./http";
import { ingestEvents } from "./ingest";
import {
  decideRequestSchema,
  decideResponseSchema,
  directivesSchema,
  eventSchema,
  eventsResponseSchema,
  MAX_BODY_BYTES,
  MAX_EVENTS_PER_BATCH,
} from "./schemas";

export const MCP_SERVER_NAME = "agentry";
export const MCP_SERVER_VERSION = "1.0.0";

/**
 * The API's schemas carry an OpenAPI id, which makes zod's JSON Schema a bare `$ref` at the root;
 * MCP wants `type: "object"` there. The same shape, without the id, keeps the root inline.
 */
const inline = <Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) => z.object(schema.shape);

/** report_events takes typed events (so the tool's JSON Schema tells the model what an event is). */
export const reportEventsInputSchema = z.object({
  events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH).meta({ description: `1 to ${MAX_EVENTS_PER_BATCH} telemetry events` }),
});

/** A tool's answer: the structured result, and the same as JSON text for clients that read only text. */
function result(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value };
}

/**
 * Our own refusals (bad task type, no valid event …) reach the agent as tool errors it can read;
 * anything unexpected is logged and answered without internals.
 */
async function guarded(tool: string, work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) {
      const details = error.details?.map((detail) => `${detail.path}: ${detail.message}`).join("; ");
      return { content: [{ type: "text", text: `${error.code}: ${error.message}${details ? ` (${details})` : ""}` }], isError: true };
    }
    console.error(`MCP tool ${tool}:`, error);
    return { content: [{ type: "text", text: "internal_error: Something went wrong on our side; the call can be retried safely." }], isError: true };
  }
}

/** The tools, bound to the agent whose key made this request. */
export function createAgentMcpServer(principal: AgentPrincipal, agent: AgentProfile): McpServer {
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
    (request) => guarded("decide", async () => result(await decide(principal, agent, request))),
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
    () => guarded("get_directives", async () => result(await directivesFor(principal.orgId, agent))),
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
    (input) => guarded("report_events", async () => result((await ingestEvents(principal, input)).body)),
  );

  return server;
}

function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

/** POST /api/v1/mcp: authenticate the agent key, then let a fresh stateless transport answer. */
export async function handleMcpPost(request: Request): Promise<Response> {
  let principal: AgentPrincipal;
  try {
    principal = await authenticateAgent(request);
  } catch (error) {
    // RFC 6750 / MCP authorization: a 401 says how to authenticate.
    if (error instanceof ApiError && error.code === "unauthorized") throw new ApiError(error.code, error.message, undefined, { "WWW-Authenticate": 'Bearer realm="agentry"' });
    throw error;
  }
  const agent = requireAgentKey(principal);
  // Read within the agent API's body limit (413 beyond it); the transport then skips its own read.
  const parsedBody = parseJsonText((await readBody(request, MAX_BODY_BYTES)).toString("utf8"));

  const server = createAgentMcpServer(principal, agent);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, { parsedBody });
  } finally {
    // With JSON responses the answer is complete here; closing frees the per-request server.
    await server.close().catch(() => {});
  }
}

/** Stateless: no standalone event stream to open (GET) and no session to end (DELETE). */
export function mcpMethodNotAllowed(): Response {
  return jsonRpcError(405, -32000, "Method not allowed: this MCP server is stateless; send JSON-RPC with POST.", { Allow: "POST" });
}

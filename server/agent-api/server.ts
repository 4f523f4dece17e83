// The agent API under /api/v1, served straight from node:http by the start script: the console
// framework's per-request machinery is not on the agents' path (see docs/architecture.md). Each
// route reads and validates its input, authenticates, and calls its handler once; every answer is
// JSON in the API's shapes (SSE for the directives stream), with the request's id in X-Request-Id.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OrgFacts } from "../domain/decide/types";
import { runtimeEnv } from "../env";
import { apiSecurityHeaders, requestIsHttps } from "../http/security";
import { getApproval } from "./approvals";
import { readiness } from "./health";
import { authenticate, requireAgentKey, type AgentPrincipal } from "./auth";
import { decide } from "./decide";
import { openDirectivesStream, streamInstanceId } from "./directives-stream";
import { recordHeartbeat } from "./heartbeat";
import { ApiError, errorStatus, INTERNAL_ERROR, logServerError, readJsonBody, requestIdOf, sendBytes, sendError, sendJson, zodDetails } from "./http";
import { ingestEvents } from "./ingest";
import { handleMcpPost, MCP_METHOD_NOT_ALLOWED } from "./mcp";
import { openApiDocument } from "./openapi";
import { ingestOtlpTraces, otlpAnswer, otlpErrorAnswer, otlpFormatOfRequest, readOtlpRequest } from "./otlp";
import { decideRequestSchema, heartbeatRequestSchema, MAX_BODY_BYTES } from "./schemas";

export const API_PREFIX = "/api/v1";

/** The API's security headers (server/http/security.ts): the same rules the console's pages get. */
function securityHeaders(request: IncomingMessage): Record<string, string> {
  const headers = {
    get: (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
  };
  return apiSecurityHeaders({ https: requestIsHttps(`http://${request.headers.host ?? "localhost"}`, headers), hsts: runtimeEnv().AGENTRY_HSTS });
}

interface Context {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  requestId: string;
  params: Record<string, string>;
  startedAt: number;
  /** Ends when the client goes away (long polls stop waiting); made on first use. */
  signal: () => AbortSignal;
}

/** What a handler answers: JSON with a status, or "sent" when it wrote the response itself. */
type Answer = { status: number; body: unknown; headers?: Record<string, string> } | "sent";

interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  params?: string[];
  handle: (context: Context) => Promise<Answer>;
}

async function caller(context: Context): Promise<{ principal: AgentPrincipal; facts: OrgFacts }> {
  const header = context.request.headers.authorization;
  return authenticate(typeof header === "string" ? header : undefined);
}

const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/decide$/,
    async handle(context) {
      const { principal, facts } = await caller(context);
      const agent = requireAgentKey(principal);
      const parsed = decideRequestSchema.safeParse(await readJsonBody(context.request, 64 * 1024));
      if (!parsed.success) throw new ApiError("invalid_request", "The decision request is not valid.", zodDetails(parsed.error));
      return { status: 200, body: await decide(principal, facts, agent, parsed.data, { startedAt: context.startedAt }) };
    },
  },
  {
    method: "POST",
    pattern: /^\/events$/,
    async handle(context) {
      const { principal, facts } = await caller(context);
      const outcome = await ingestEvents(principal, facts, await readJsonBody(context.request, MAX_BODY_BYTES));
      return { status: outcome.status, body: outcome.body };
    },
  },
  {
    method: "POST",
    pattern: /^\/heartbeat$/,
    async handle(context) {
      const { principal, facts } = await caller(context);
      const agent = requireAgentKey(principal);
      const parsed = heartbeatRequestSchema.safeParse(await readJsonBody(context.request, 16 * 1024));
      if (!parsed.success) throw new ApiError("invalid_request", "The heartbeat is not valid.", zodDetails(parsed.error));
      return { status: 200, body: await recordHeartbeat(facts, agent, parsed.data) };
    },
  },
  {
    method: "GET",
    pattern: /^\/approvals\/([^/]+)$/,
    params: ["id"],
    async handle(context) {
      // Only the agent that asked may read (and wait on) its approval: an agent key, not an ingest key.
      const { principal } = await caller(context);
      const agent = requireAgentKey(principal);
      const body = await getApproval(principal, agent, context.params.id ?? "", context.url.searchParams.get("waitMs"), context.signal());
      return { status: 200, body };
    },
  },
  {
    method: "GET",
    pattern: /^\/directives\/stream$/,
    async handle(context) {
      const { principal, facts } = await caller(context);
      const agent = requireAgentKey(principal);
      const instanceId = streamInstanceId(context.url, context.request.headers);
      if (instanceId === "") throw new ApiError("invalid_request", "instanceId must be 1–200 characters.", [{ path: "instanceId", message: "1–200 characters, no NUL" }]);
      // Without an instance id, every stream of the key counts as one instance ("default").
      await openDirectivesStream(context.request, context.response, { facts, agent, instanceId: instanceId ?? "default", keyId: principal.keyId });
      return "sent";
    },
  },
  {
    method: "POST",
    pattern: /^\/otlp\/v1\/traces$/,
    async handle(context) {
      // OTLP/HTTP answers in the request's encoding, refusals included (a google.rpc.Status for protobuf).
      const format = otlpFormatOfRequest(context.request);
      try {
        const { principal, facts } = await caller(context);
        const encoded = otlpAnswer(format, await ingestOtlpTraces(principal, facts, await readOtlpRequest(context.request)));
        sendBytes(context.response, 200, encoded.contentType, encoded.body);
      } catch (error) {
        if (!(error instanceof ApiError) || format !== "protobuf") throw error;
        const encoded = otlpErrorAnswer(error);
        sendBytes(context.response, errorStatus(error), encoded.contentType, encoded.body, { ...error.headers, ...(error.code === "payload_too_large" ? { Connection: "close" } : {}) });
      }
      return "sent";
    },
  },
  {
    method: "POST",
    pattern: /^\/mcp$/,
    async handle(context) {
      let authenticated: { principal: AgentPrincipal; facts: OrgFacts };
      try {
        authenticated = await caller(context);
      } catch (error) {
        // RFC 6750 / MCP authorization: a 401 says how to authenticate.
        if (error instanceof ApiError && error.code === "unauthorized") throw new ApiError(error.code, error.message, undefined, { "WWW-Authenticate": 'Bearer realm="agentry"' });
        throw error;
      }
      const agent = requireAgentKey(authenticated.principal);
      // Read within the agent API's body limit (413 beyond it); the transport then skips its own read.
      const body = await readJsonBody(context.request, MAX_BODY_BYTES);
      await handleMcpPost(context.request, context.response, { ...authenticated, agent, body, requestId: context.requestId });
      return "sent";
    },
  },
  { method: "GET", pattern: /^\/mcp$/, handle: async () => ({ ...MCP_METHOD_NOT_ALLOWED, headers: { ...MCP_METHOD_NOT_ALLOWED.headers } }) },
  { method: "DELETE", pattern: /^\/mcp$/, handle: async () => ({ ...MCP_METHOD_NOT_ALLOWED, headers: { ...MCP_METHOD_NOT_ALLOWED.headers } }) },
  {
    method: "GET",
    pattern: /^\/health$/,
    // Public, for load balancers (server/agent-api/health.ts); never cached.
    handle: async () => ({ ...(await readiness()), headers: { "Cache-Control": "no-store" } }),
  },
  {
    method: "GET",
    pattern: /^\/openapi\.json$/,
    // Public, like any API's documentation: it holds no data.
    handle: async () => ({ status: 200, body: openApiDocument(), headers: { "Cache-Control": "public, max-age=300" } }),
  },
];

/** A path parameter, percent-decoded; one that does not decode names nothing here (404, not a fault). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError("not_found", "There is no such resource: the path is not valid percent-encoded UTF-8.");
  }
}

function match(path: string): { routes: Route[]; params: (route: Route) => Record<string, string> } {
  const routes = ROUTES.filter((route) => route.pattern.test(path));
  return {
    routes,
    params: (route) => {
      const found = route.pattern.exec(path);
      return Object.fromEntries((route.params ?? []).map((name, index) => [name, decodePathSegment(found?.[index + 1] ?? "")]));
    },
  };
}

/** Answers one request under /api/v1. Never throws; never answers HTML. */
export async function handleAgentApi(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const requestId = requestIdOf(request);
  response.setHeader("X-Request-Id", requestId);
  for (const [name, value] of Object.entries(securityHeaders(request))) response.setHeader(name, value);
  const url = new URL(request.url ?? "/", "http://agent-api");
  const path = url.pathname.slice(API_PREFIX.length) || "/";
  const method = request.method ?? "GET";
  let aborted: AbortController | null = null;
  const signal = () => {
    if (!aborted) {
      const controller = (aborted = new AbortController());
      response.on("close", () => controller.abort());
    }
    return aborted.signal;
  };
  try {
    const { routes, params } = match(path);
    const route = routes.find((candidate) => candidate.method === method);
    if (!route) {
      if (routes.length === 0) throw new ApiError("not_found", `There is no ${method} ${url.pathname} in the agent API.`);
      const allow = routes.map((candidate) => candidate.method).join(", ");
      throw new ApiError("method_not_allowed", `${method} is not supported here; use ${allow}.`, undefined, { Allow: allow });
    }
    const answer = await route.handle({ request, response, url, requestId, params: params(route), startedAt, signal });
    if (answer !== "sent") sendJson(response, answer.status, answer.body, answer.headers);
  } catch (error) {
    if (error instanceof ApiError) {
      // A body we stopped reading: close the connection rather than read the rest.
      sendError(response, error, error.code === "payload_too_large" ? { Connection: "close" } : {});
      return;
    }
    logServerError({ requestId, method, path: url.pathname, error });
    sendError(response, INTERNAL_ERROR());
  }
}

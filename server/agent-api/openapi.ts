// GET /api/v1/openapi.json: the OpenAPI 3.1 document of the agent API, generated from the same zod
// schemas that validate requests (z.toJSONSchema; schemas with .meta({id}) become components), so
// the document cannot drift from what the API accepts.
import { z } from "zod";
import { MAX_WAIT_MS } from "../domain/approvals/rules";
import { otlpSpanSchema, otlpTraceResponseSchema, traceRequestSchema } from "../domain/telemetry/otlp-mapping";
import {
  approvalStatusSchema,
  decideRequestSchema,
  decideResponseSchema,
  directivesSchema,
  errorResponseSchema,
  eventSchema,
  eventsResponseSchema,
  heartbeatRequestSchema,
  healthResponseSchema,
  heartbeatResponseSchema,
  MAX_BODY_BYTES,
  MAX_EVENTS_PER_BATCH,
} from "./schemas";

type JsonObject = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ "application/json": { schema: ref(id) } });

/** The components, keyed by id: every schema reachable from these with an id of its own is added too. */
function componentSchemas(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  // The API checks each event on its own; the document shows the batch as it should be sent.
  registry.add(z.object({ events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH) }), { id: "EventsRequest" });
  registry.add(eventsResponseSchema, { id: "EventsResponse" });
  registry.add(heartbeatRequestSchema, { id: "HeartbeatRequest" });
  registry.add(heartbeatResponseSchema, { id: "HeartbeatResponse" });
  registry.add(decideRequestSchema, { id: "DecideRequest" });
  registry.add(decideResponseSchema, { id: "DecideResponse" });
  registry.add(approvalStatusSchema, { id: "ApprovalStatus" });
  registry.add(directivesSchema, { id: "Directives" });
  registry.add(traceRequestSchema(otlpSpanSchema), { id: "OtlpExportTraceServiceRequest" });
  registry.add(otlpTraceResponseSchema, { id: "OtlpExportTraceServiceResponse" });
  registry.add(healthResponseSchema, { id: "Health" });
  registry.add(errorResponseSchema, { id: "Error" });

  const generated = z.toJSONSchema(registry, { target: "draft-2020-12", io: "input", uri: (id) => `#/components/schemas/${id}` });
  const schemas: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    if (id === "__shared") {
      // Schemas with an id of their own (Event, OtlpSpan, …) that were only reached from others.
      const defs = (schema as { $defs?: Record<string, JsonObject> }).$defs ?? {};
      for (const [defId, def] of Object.entries(defs)) schemas[defId] = def;
    } else {
      schemas[id] = schema as JsonObject;
    }
  }
  return tidy(schemas) as Record<string, JsonObject>;
}

/** Component-relative refs, no per-schema $schema/$id, and no ±2^53 bounds that every integer would otherwise carry. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== "object" || value === null) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "$schema" || key === "$id") continue;
    if ((key === "minimum" || key === "maximum") && Math.abs(Number(item)) === Number.MAX_SAFE_INTEGER) continue;
    if (key === "$ref" && typeof item === "string") {
      out[key] = item.replace(/^#\/components\/schemas\/__shared#\/\$defs\//, "#/components/schemas/");
      continue;
    }
    out[key] = tidy(item);
  }
  return out;
}

const errorResponse = (description: string, headers?: JsonObject) => ({ description, content: json("Error"), ...(headers ? { headers } : {}) });

const responses = {
  BadRequest: errorResponse("`invalid_request`: the body or a parameter is not valid; `details` name each field (and the event's index)."),
  Unauthorized: errorResponse("`unauthorized`: no key, or the key is unknown or revoked."),
  Forbidden: errorResponse("`forbidden`: the key may not do this (for example an org ingest key on an endpoint that needs an agent key)."),
  NotFound: errorResponse("`not_found`: no such resource (or path) for this key."),
  PayloadTooLarge: errorResponse(`\`payload_too_large\`: the body is larger than ${MAX_BODY_BYTES} bytes; the server stops reading at the limit.`),
  UnsupportedMediaType: errorResponse(
    "`unsupported_media_type`: a Content-Type or Content-Encoding the endpoint does not take (JSON everywhere; OTLP also takes `application/x-protobuf`; gzip or no encoding).",
  ),
  RateLimited: errorResponse("`rate_limited`: too many requests with this key; retry after `Retry-After` seconds.", {
    "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 1 } },
  }),
};

const errors = (...names: (keyof typeof responses)[]) => Object.fromEntries(names.map((name) => [statusOf[name], { $ref: `#/components/responses/${name}` }]));
const statusOf: Record<keyof typeof responses, string> = {
  BadRequest: "400",
  Unauthorized: "401",
  Forbidden: "403",
  NotFound: "404",
  PayloadTooLarge: "413",
  UnsupportedMediaType: "415",
  RateLimited: "429",
};

function paths(): JsonObject {
  return {
    "/api/v1/events": {
      post: {
        operationId: "sendEvents",
        summary: `Report a batch of 1–${MAX_EVENTS_PER_BATCH} telemetry events`,
        description:
          "Each event is checked on its own: one bad event does not sink the batch (207). Events are deduplicated by `id` per agent, so a retried batch is never double-counted. `costUsd` is computed from the model registry's prices when absent. Sensitive values in `attributes` are redacted before storage. With an org ingest key every event must name its `agent`; unknown names appear in the registry as `discovered`.",
        requestBody: { required: true, content: json("EventsRequest") },
        responses: {
          "200": { description: "Every event was taken (new or duplicate)", content: json("EventsResponse") },
          "207": { description: "Some events were rejected; `rejected` says which (by index) and why. The others were stored.", content: json("EventsResponse") },
          ...errors("BadRequest", "Unauthorized", "PayloadTooLarge", "RateLimited"),
        },
      },
    },
    "/api/v1/decide": {
      post: {
        operationId: "decide",
        summary: "Ask before acting",
        description:
          'Kill switches, budgets, policies, compliance rules and routing are weighed in this one call. A deny is a normal 200 answer. `{action:{type:"model", name:"auto"}, taskType}` asks which model to use.',
        requestBody: { required: true, content: json("DecideRequest") },
        responses: {
          "200": { description: "The decision", content: json("DecideResponse") },
          ...errors("BadRequest", "Unauthorized", "Forbidden", "PayloadTooLarge", "RateLimited"),
        },
      },
    },
    "/api/v1/approvals/{id}": {
      get: {
        operationId: "getApproval",
        summary: "The status of a human approval",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" }, description: "The `approvalId` from a decision" },
          {
            name: "waitMs",
            in: "query",
            required: false,
            schema: { type: "integer", minimum: 0, maximum: MAX_WAIT_MS },
            description: "Long-poll: wait up to this many milliseconds for the approval to be decided",
          },
        ],
        responses: {
          "200": { description: "The approval's status", content: json("ApprovalStatus") },
          ...errors("BadRequest", "Unauthorized", "Forbidden", "NotFound", "RateLimited"),
        },
      },
    },
    "/api/v1/heartbeat": {
      post: {
        operationId: "heartbeat",
        summary: "An instance says it is alive; the answer is its directives",
        requestBody: { required: true, content: json("HeartbeatRequest") },
        responses: {
          "200": { description: "The agent's directives", content: json("HeartbeatResponse") },
          ...errors("BadRequest", "Unauthorized", "Forbidden", "PayloadTooLarge", "RateLimited"),
        },
      },
    },
    "/api/v1/directives/stream": {
      get: {
        operationId: "streamDirectives",
        summary: "Server-Sent Events: the agent's directives on connect and on every change",
        description:
          "Each message is `event: directives` with `id:` the directives revision; comments every 15 s keep the stream open. Acknowledge a new revision by sending it as the heartbeat's `directiveVersion`.",
        parameters: [
          {
            name: "instanceId",
            in: "query",
            required: false,
            description: "The instance this stream speaks for (also accepted as the `X-Instance-Id` header); counted as connected while the stream is open",
            schema: { type: "string", minLength: 1, maxLength: 200 },
          },
        ],
        responses: {
          "200": {
            description: "An event stream; each message's `data` is a Directives object as JSON",
            // OpenAPI 3.1 cannot type the messages of a stream; the extension points at their schema.
            content: { "text/event-stream": { schema: { type: "string" }, "x-data-schema": ref("Directives") } },
          },
          ...errors("Unauthorized", "Forbidden", "RateLimited"),
        },
      },
    },
    "/api/v1/otlp/v1/traces": {
      post: {
        operationId: "exportTraces",
        summary: "OTLP/HTTP traces (protobuf or JSON)",
        description:
          "Spans with OpenTelemetry GenAI attributes become events: `gen_ai.operation.name` gives the type (chat, text_completion, generate_content, embeddings → llm_call; execute_tool → tool_call; invoke_agent, create_agent → task_end; other spans → log), `gen_ai.request.model`, `gen_ai.provider.name` (or `gen_ai.system`), `gen_ai.usage.input_tokens`/`output_tokens`, `gen_ai.tool.name`, `gen_ai.conversation.id` (→ taskId) and `gen_ai.agent.name`/`gen_ai.agent.id` (→ agent; then resource attributes, then `service.name`). The span id is the event id. Content-Encoding gzip is accepted. The answer comes in the request's encoding.",
        requestBody: {
          required: true,
          content: {
            ...json("OtlpExportTraceServiceRequest"),
            // The same message in protobuf's binary encoding (opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest).
            "application/x-protobuf": { schema: { type: "string", contentMediaType: "application/x-protobuf" } },
          },
        },
        responses: {
          "200": {
            description: "`{}` when every span was taken; otherwise `partialSuccess` with the number rejected and why (an ExportTraceServiceResponse, in protobuf for protobuf requests)",
            content: { ...json("OtlpExportTraceServiceResponse"), "application/x-protobuf": { schema: { type: "string", contentMediaType: "application/x-protobuf" } } },
          },
          ...errors("BadRequest", "Unauthorized", "PayloadTooLarge", "UnsupportedMediaType", "RateLimited"),
        },
      },
    },
    "/api/v1/health": {
      get: {
        operationId: "health",
        summary: "Readiness: whether this process can serve (its database answers within 2 s and it is not shutting down)",
        security: [],
        responses: {
          "200": { description: "Ready", content: json("Health") },
          "503": { description: "Not ready: the database is unreachable or did not answer in time, or the process is shutting down", content: json("Health") },
        },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "openapi",
        summary: "This document",
        security: [],
        responses: { "200": { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
  };
}

export function buildOpenApiDocument(): JsonObject {
  return {
    openapi: "3.1.0",
    info: {
      title: "Agentry Agent API",
      version: "1",
      description:
        'JSON in, JSON out. Authenticate with `Authorization: Bearer <key>`: an agent key (bound to one agent) or an org ingest key (events name their agent). Errors are `{"error":{"code","message","details?"}}`.',
    },
    security: [{ bearerAuth: [] }],
    paths: paths(),
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An agent key or an org ingest key (`agt_…`)" } },
      schemas: componentSchemas(),
      responses,
    },
  };
}

let cached: JsonObject | null = null;

/** Built once per process: the schemas do not change while it runs. */
export function openApiDocument(): JsonObject {
  cached ??= buildOpenApiDocument();
  return cached;
}

// The agent API's contract (docs/agent-api.md). These zod schemas are the single
// source of the API's validation, its TypeScript types (also used by the SDK in sdk/) and its
// OpenAPI document (GET /api/v1/openapi.json). No server-only imports here: the SDK uses it.
import { z } from "zod";
import type { Directives as DirectivesType } from "../domain/decide/directives";
import { HALT_REASONS } from "../domain/decide/directives";
import { EVENT_TYPES, type AgentEvent as AgentEventType } from "../domain/telemetry/events";
import { identifierText, isDisplaySafe, TEXT_MESSAGES } from "../domain/text/strings";

export { EVENT_TYPES };

export const MAX_EVENTS_PER_BATCH = 1000;
export const MAX_BODY_BYTES = 1024 * 1024;

// Every string a client sends is checked by the shared helpers (server/domain/text/strings.ts):
// well-formed UTF-16 (what PostgreSQL stores is what was validated and compared) and no U+0000,
// which PostgreSQL text cannot hold. An agent's name is also a name people read.
const shortText = (max = 200) => identifierText(max);
const agentReference = () => identifierText(200).refine(isDisplaySafe, TEXT_MESSAGES.displaySafe);

/** A decimal amount of US dollars: a JSON number or a decimal string such as "0.0125". */
export const usdAmount = z
  .union([z.number(), z.string().regex(/^\d{1,9}(\.\d{1,12})?$/, "a decimal amount such as 0.0125")])
  .refine((value) => typeof value === "string" || (Number.isFinite(value) && value >= 0 && value <= 1e9), "a non-negative amount of at most 1e9")
  .meta({ description: "US dollars, as a number or a decimal string", example: 0.0125 });

export const eventSchema = z
  .object({
    id: shortText().meta({ description: "Client-made id, unique per agent: a retried event with the same id is counted once" }),
    type: z.enum(EVENT_TYPES),
    timestamp: z.iso.datetime({ offset: true, message: "an ISO-8601 date-time such as 2026-11-25T10:00:00Z" }),
    agent: agentReference().optional().meta({ description: "The agent's name or id; required with an org ingest key" }),
    taskId: shortText().optional(),
    traceId: shortText().optional(),
    instanceId: shortText().optional(),
    version: shortText(100).optional(),
    model: shortText().optional(),
    provider: shortText(100).optional(),
    inputTokens: z.number().int().min(0).max(1e9).optional(),
    outputTokens: z.number().int().min(0).max(1e9).optional(),
    costUsd: usdAmount.optional().meta({ description: "Computed from the model registry's prices when absent" }),
    latencyMs: z.number().int().min(0).max(86_400_000).optional(),
    tool: shortText().optional(),
    status: shortText(50).optional(),
    decisionId: shortText().optional(),
    attributes: z.record(z.string(), z.unknown()).optional().meta({ description: "Free-form; sensitive values are redacted before storage" }),
  })
  .meta({ id: "Event" });
export type AgentEvent = AgentEventType;
// The schema and the domain's type describe the same event (a compile-time check).
const eventsAgree: [z.infer<typeof eventSchema>, AgentEventType] extends [AgentEventType, z.infer<typeof eventSchema>] ? true : never = true;
void eventsAgree;

/** The envelope is checked strictly; each event is then checked on its own (one bad event does not sink the batch). */
export const eventsRequestSchema = z
  .object({
    events: z.array(z.unknown()).min(1, "send at least one event").max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per batch`),
  })
  .meta({ id: "EventsRequest" });

export const directivesSchema = z
  .object({
    halt: z.boolean(),
    reason: z.enum(HALT_REASONS).optional(),
    killSwitchId: z.string().optional(),
    budget: z
      .object({
        limitUsd: z.string(),
        spentUsd: z.string(),
        reservedUsd: z.string(),
        remainingUsd: z.string(),
        periodEnd: z.string(),
      })
      .nullable(),
    version: z.object({ id: z.string(), label: z.string() }).optional().meta({ description: "The agent version this instance must run (its id and label), when the agent has versions" }),
    warning: z
      .object({ code: z.enum(["version_deprecated"]), message: z.string() })
      .optional()
      .meta({ description: "The instance runs a deprecated version: it may go on, and should move to `version`" }),
    revision: z.number().int().min(0).meta({ description: "The org's directives revision: send it back as the heartbeat's `directiveVersion` once applied" }),
  })
  .meta({ id: "Directives", description: "What the agent must do now. Amounts are decimal strings of US dollars." });
export type Directives = DirectivesType;
const directivesAgree: [z.infer<typeof directivesSchema>, DirectivesType] extends [DirectivesType, z.infer<typeof directivesSchema>] ? true : never = true;
void directivesAgree;

export const rejectionSchema = z.object({ index: z.number().int(), code: z.string(), message: z.string() });

export const eventsResponseSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.array(rejectionSchema),
    directives: directivesSchema.nullable().meta({ description: "The agent's directives (null for an org ingest key, which speaks for many agents)" }),
  })
  .meta({ id: "EventsResponse" });
export type EventsResponse = z.infer<typeof eventsResponseSchema>;

export const heartbeatRequestSchema = z
  .object({
    instanceId: shortText(),
    version: shortText(100).optional(),
    status: shortText(50).optional(),
    directiveVersion: z.number().int().min(0).optional().meta({ description: "The directives revision this instance has applied" }),
  })
  .meta({ id: "HeartbeatRequest" });
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

export const heartbeatResponseSchema = z.object({ directives: directivesSchema }).meta({ id: "HeartbeatResponse" });

export const ACTION_TYPES = ["tool", "model", "data", "delegate"] as const;
export const DECISIONS = ["allow", "deny", "require_approval"] as const;

export const decideRequestSchema = z
  .object({
    action: z.object({
      type: z.enum(ACTION_TYPES),
      name: shortText().meta({ description: 'The tool, model, data class or agent; `{type:"model", name:"auto"}` with a taskType asks which model to use' }),
      arguments: z.record(z.string(), z.unknown()).optional().meta({ description: "What the action would be called with; sensitive values are redacted before storage" }),
    }),
    taskType: shortText(100).optional().meta({ description: "The routing rule to apply, e.g. classification, analysis, generation" }),
    estimatedCostUsd: usdAmount.optional().meta({ description: "Reserved against every budget that applies until the reporting event settles it" }),
    dataClasses: z.array(shortText(50)).max(20).optional(),
    instanceId: shortText().optional(),
    taskId: shortText().optional(),
    version: shortText(100).optional().meta({ description: "The agent version this instance runs (its label or id): a retired version's decisions are denied with reason `retired`" }),
    approvalId: z.string().uuid().optional().meta({ description: "An approved request for this same action (same arguments): the decision is then allow, once" }),
  })
  .meta({ id: "DecideRequest" });
export type DecideRequest = z.infer<typeof decideRequestSchema>;

export const decideResponseSchema = z
  .object({
    decision: z.enum(DECISIONS).meta({ description: "A deny is a normal answer, not an error" }),
    decisionId: z.string(),
    reasons: z.array(z.object({ code: z.string(), message: z.string(), policyId: z.string().optional() })),
    approvalId: z.string().optional().meta({ description: "With require_approval: poll GET /api/v1/approvals/{approvalId}" }),
    model: z
      .object({
        name: z.string(),
        provider: z.string(),
        fallbacks: z.array(z.object({ name: z.string(), provider: z.string() })),
      })
      .optional()
      .meta({ description: "The routed model and its ordered fallbacks" }),
    version: z.object({ id: z.string(), label: z.string() }).optional(),
    directives: directivesSchema,
  })
  .meta({ id: "DecideResponse" });
export type DecideResponse = z.infer<typeof decideResponseSchema>;

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired"] as const;
export const approvalResponseSchema = z
  .object({
    status: z.enum(APPROVAL_STATUSES),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
  })
  .meta({ id: "ApprovalStatus" });
export type ApprovalResponse = z.infer<typeof approvalResponseSchema>;
/** The same schema under the name the governance modules use. */
export const approvalStatusSchema = approvalResponseSchema;

/** GET /api/v1/health: whether this process is ready for traffic (200) or not (503), and why. */
export const healthResponseSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    database: z.object({ status: z.enum(["ok", "unreachable", "timeout"]), latencyMs: z.number().nonnegative().optional() }),
    shuttingDown: z.boolean(),
  })
  .meta({ id: "Health" });
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const errorCodes = ["invalid_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "payload_too_large", "unsupported_media_type", "rate_limited", "internal_error"] as const;
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string(), index: z.number().int().optional() })).optional(),
    }),
  })
  .meta({ id: "Error" });
export type ApiErrorBody = z.infer<typeof errorResponseSchema>;
export type ApiErrorCode = (typeof errorCodes)[number];

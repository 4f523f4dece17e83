// POST /api/v1/events: validate each event on its own, then store the valid ones
// (server/data/event-store.ts: events, rollups and daily spend in one transaction, the follow-up
// queued with them). A retried event is a duplicate, never counted twice. 200 when every event was
// taken, 207 with per-event rejections otherwise; an agent key also gets its directives.
import "server-only";
import type { z } from "zod";
import { storeEvents, touchAgents } from "../data/event-store";
import type { OrgFacts } from "../domain/decide/types";
import type { AgentPrincipal } from "./auth";
import { directivesFor } from "./directives";
import { ApiError, zodDetails } from "./http";
import { eventSchema, eventsRequestSchema, type AgentEvent, type EventsResponse } from "./schemas";

const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Earlier timestamps are mistakes (year 0000 does not even exist in PostgreSQL). */
const EARLIEST_TIMESTAMP_MS = Date.UTC(2000, 0, 1);

type Rejection = EventsResponse["rejected"][number];
type Detail = ReturnType<typeof zodDetails>[number];

export interface IngestOutcome {
  status: 200 | 207;
  body: EventsResponse;
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "event"}: ${issue.message}`).join("; ");
}

/** Validates each event on its own; the batch envelope must be right as a whole. */
export function validateBatch(principal: Pick<AgentPrincipal, "kind" | "agent">, payload: unknown, now: Date): { valid: { index: number; event: AgentEvent }[]; rejected: Rejection[]; details: Detail[] } {
  const envelope = eventsRequestSchema.safeParse(payload);
  if (!envelope.success) throw new ApiError("invalid_request", 'The body must be {"events": [ … ]} with 1 to 1000 events.', zodDetails(envelope.error));
  const valid: { index: number; event: AgentEvent }[] = [];
  const rejected: Rejection[] = [];
  const details: Detail[] = [];
  const reject = (index: number, code: string, message: string, field: string) => {
    rejected.push({ index, code, message });
    details.push({ path: `events.${index}.${field}`, message, index });
  };
  envelope.data.events.forEach((raw, index) => {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ index, code: "invalid_event", message: describe(parsed.error) });
      details.push(...zodDetails(parsed.error, ["events", index]));
      return;
    }
    const event = parsed.data;
    const ts = Date.parse(event.timestamp);
    if (ts > now.getTime() + MAX_FUTURE_MS) {
      reject(index, "invalid_timestamp", "timestamp: more than a day in the future", "timestamp");
    } else if (!(ts >= EARLIEST_TIMESTAMP_MS)) {
      reject(index, "invalid_timestamp", "timestamp: before 2000-01-01", "timestamp");
    } else if (principal.kind === "ingest" && !event.agent) {
      reject(index, "missing_agent", "agent: required with an org ingest key (the agent's name or id)", "agent");
    } else if (principal.agent && event.agent && event.agent !== principal.agent.name && event.agent !== principal.agent.id) {
      reject(index, "agent_mismatch", `agent: this key belongs to agent "${principal.agent.name}"`, "agent");
    } else {
      valid.push({ index, event });
    }
  });
  return { valid, rejected, details };
}

/** Stores validated events for every door events come in by (the events endpoint, OTLP, MCP). */
export async function storeValidEvents(principal: AgentPrincipal, facts: OrgFacts, valid: { index: number; event: AgentEvent }[]): Promise<{ accepted: number; duplicates: number }> {
  const { accepted, duplicates, agentIds } = await storeEvents({ orgId: principal.orgId, agent: principal.agent, facts, valid });
  touchAgents(agentIds);
  return { accepted, duplicates };
}

export async function ingestEvents(principal: AgentPrincipal, facts: OrgFacts, payload: unknown, now = new Date()): Promise<IngestOutcome> {
  const { valid, rejected, details } = validateBatch(principal, payload, now);
  if (valid.length === 0) throw new ApiError("invalid_request", "No event in the batch is valid; nothing was stored.", details);
  const { accepted, duplicates } = await storeValidEvents(principal, facts, valid);
  // An instance's version is named only when the whole batch comes from one instance.
  const instances = new Set(valid.map(({ event }) => event.instanceId ?? null));
  const instance = instances.size === 1 ? [...instances][0] : null;
  const versions = new Set(valid.map(({ event }) => event.version ?? null));
  const directives = principal.agent ? await directivesFor(facts, principal.agent, instance ? { unit: instance, reported: versions.size === 1 ? [...versions][0] : null } : {}) : null;
  return { status: rejected.length > 0 ? 207 : 200, body: { accepted, duplicates, rejected, directives } };
}

// POST /api/v1/events: validate each event on its own, resolve (or discover) its agent, redact,
// price, and store the batch with its hourly rollups in one transaction. Retries are idempotent:
// (agent, event id) is unique, so a re-sent event is acknowledged as a duplicate, never re-counted.
import "server-only";
import type pg from "pg";
import type { z } from "zod";
import { getPool, inTransaction } from "../db/pool";
import { appendAuditRaw } from "../data/audit";
import { queueBudgetAlertCheck, settleReservations, upsertSpendDaily } from "../data/budgets";
import { settlementsOf, spendDeltas, type Settlement } from "../domain/budget/spend";
import { detectLoopsAfterIngest } from "../data/loops";
import { reportedToolCalls, type ReportedToolCall } from "../domain/loops/events";
import { tokenCostMicros, usdToMicros } from "../domain/cost/money";
import { redactJson } from "../domain/redaction/redact";
import { pgSafeJson } from "../domain/telemetry/pg-json";
import { rollupDeltas, type RollupEvent } from "../domain/telemetry/rollup";
import type { AgentPrincipal, AgentRef } from "./auth";
import { directivesFor } from "./directives";
import { ApiError, zodDetails } from "./http";
import { eventSchema, eventsRequestSchema, type AgentEvent, type EventsResponse } from "./schemas";

const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Earlier timestamps are mistakes (year 0000 does not even exist in PostgreSQL). */
const EARLIEST_TIMESTAMP_MS = Date.UTC(2000, 0, 1);

type Rejection = EventsResponse["rejected"][number];
type Detail = ReturnType<typeof zodDetails>[number];

interface StoredEvent extends RollupEvent {
  eventId: string;
  index: number;
  taskId: string | null;
  traceId: string | null;
  instanceId: string | null;
  provider: string | null;
  costSource: "reported" | "computed" | "unpriced" | null;
  tool: string | null;
  decisionId: string | null;
  attributes: unknown;
}

export interface IngestOutcome {
  status: 200 | 207;
  body: EventsResponse;
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "event"}: ${issue.message}`).join("; ");
}

/** Validates each event on its own; the batch envelope must be right as a whole. */
export function validateBatch(
  principal: Pick<AgentPrincipal, "kind" | "agent">,
  payload: unknown,
  now: Date,
): { valid: { index: number; event: AgentEvent }[]; rejected: Rejection[]; details: Detail[] } {
  const envelope = eventsRequestSchema.safeParse(payload);
  if (!envelope.success) throw new ApiError("invalid_request", "The body must be {\"events\": [ … ]} with 1 to 1000 events.", zodDetails(envelope.error));
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

interface AgentRow {
  id: string;
  name: string;
  team_id: string | null;
  status: string;
}

const toRef = (row: AgentRow): AgentRef => ({ id: row.id, name: row.name, teamId: row.team_id, status: row.status });

/**
 * The agents an ingest key's events name, by name or id. Names not in the registry are
 * registered as `discovered` (pending review) and the discovery is audited.
 */
async function resolveAgents(client: pg.PoolClient, orgId: string, references: string[]): Promise<Map<string, AgentRef>> {
  const byReference = new Map<string, AgentRef>();
  const { rows } = await client.query<AgentRow>(
    "SELECT id, name, team_id, status FROM agents WHERE org_id = $1 AND (name = ANY($2::text[]) OR id::text = ANY($2::text[]))",
    [orgId, references],
  );
  for (const row of rows) {
    byReference.set(row.name, toRef(row));
    byReference.set(row.id, toRef(row));
  }
  const unknown = references.filter((reference) => !byReference.has(reference)).sort();
  if (unknown.length === 0) return byReference;

  const created = await client.query<AgentRow>(
    `INSERT INTO agents (org_id, name, status, last_seen_at)
     SELECT $1, name, 'discovered', now() FROM unnest($2::text[]) AS name
     ON CONFLICT (org_id, name) DO NOTHING
     RETURNING id, name, team_id, status`,
    [orgId, unknown],
  );
  for (const row of created.rows) {
    byReference.set(row.name, toRef(row));
    await appendAuditRaw(client, orgId, { type: "system", id: null, label: "system (agent discovery)" }, {
      action: "agent.discovered",
      targetType: "agent",
      targetId: row.id,
      after: { name: row.name, status: "discovered" },
      reason: "An org ingest key reported events for an agent that is not in the registry",
    });
  }
  // Another batch may have discovered some of them at the same moment.
  const missing = unknown.filter((name) => !byReference.has(name));
  if (missing.length > 0) {
    const raced = await client.query<AgentRow>("SELECT id, name, team_id, status FROM agents WHERE org_id = $1 AND name = ANY($2::text[])", [orgId, missing]);
    for (const row of raced.rows) byReference.set(row.name, toRef(row));
  }
  return byReference;
}

async function loadPrices(client: pg.PoolClient, orgId: string, models: string[]) {
  const prices = new Map<string, { input: bigint; output: bigint }>();
  if (models.length === 0) return prices;
  const { rows } = await client.query<{ name: string; input: string; output: string }>(
    "SELECT name, input_micros_per_mtok AS input, output_micros_per_mtok AS output FROM models WHERE org_id = $1 AND name = ANY($2::text[])",
    [orgId, models],
  );
  for (const row of rows) prices.set(row.name, { input: BigInt(row.input), output: BigInt(row.output) });
  return prices;
}

function priceEvent(event: AgentEvent, prices: Map<string, { input: bigint; output: bigint }>): Pick<StoredEvent, "costMicros" | "costSource"> {
  if (event.costUsd !== undefined) return { costMicros: usdToMicros(event.costUsd), costSource: "reported" };
  if (!event.model || (event.inputTokens === undefined && event.outputTokens === undefined)) return { costMicros: null, costSource: null };
  const price = prices.get(event.model);
  if (!price) return { costMicros: null, costSource: "unpriced" };
  return {
    costMicros: tokenCostMicros({
      inputTokens: event.inputTokens ?? 0,
      outputTokens: event.outputTokens ?? 0,
      inputMicrosPerMTok: price.input,
      outputMicrosPerMTok: price.output,
    }),
    costSource: "computed",
  };
}

const nullable = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

async function insertEvents(client: pg.PoolClient, orgId: string, events: StoredEvent[]): Promise<Set<string>> {
  const column = <T>(pick: (event: StoredEvent) => T) => events.map(pick);
  const { rows } = await client.query<{ agent_id: string; event_id: string }>(
    `INSERT INTO events (org_id, agent_id, event_id, type, ts, task_id, trace_id, instance_id, version, model, provider,
                         input_tokens, output_tokens, cost_micros, cost_source, latency_ms, tool, status, decision_id, attributes)
     SELECT $1::uuid, * FROM unnest($2::uuid[], $3::text[], $4::"EventType"[], $5::timestamptz[], $6::text[], $7::text[], $8::text[],
                                     $9::text[], $10::text[], $11::text[], $12::int[], $13::int[], $14::bigint[], $15::text[],
                                     $16::int[], $17::text[], $18::text[], $19::text[], $20::jsonb[])
     ON CONFLICT (agent_id, event_id) DO NOTHING
     RETURNING agent_id, event_id`,
    [
      orgId,
      column((event) => event.agentId),
      column((event) => event.eventId),
      column((event) => event.type),
      column((event) => event.ts.toISOString()),
      column((event) => event.taskId),
      column((event) => event.traceId),
      column((event) => event.instanceId),
      column((event) => event.version),
      column((event) => event.model),
      column((event) => event.provider),
      column((event) => event.inputTokens),
      column((event) => event.outputTokens),
      column((event) => (event.costMicros === null ? null : event.costMicros.toString())),
      column((event) => event.costSource),
      column((event) => event.latencyMs),
      column((event) => event.tool),
      column((event) => event.status),
      column((event) => event.decisionId),
      column((event) => (event.attributes === null ? null : JSON.stringify(event.attributes))),
    ],
  );
  return new Set(rows.map((row) => `${row.agent_id}\u0000${row.event_id}`));
}

async function upsertRollups(client: pg.PoolClient, events: StoredEvent[]): Promise<void> {
  const deltas = rollupDeltas(events);
  if (deltas.length === 0) return;
  const column = <T>(pick: (delta: (typeof deltas)[number]) => T) => deltas.map(pick);
  await client.query(
    `INSERT INTO event_rollups_hourly AS r (org_id, agent_id, team_id, model, version, hour, events, llm_calls, tool_calls, errors,
                                            input_tokens, output_tokens, cost_micros, latency_sum_ms, latency_count, tasks, failed_tasks, latency_hist)
     SELECT u.org_id, u.agent_id, u.team_id, u.model, u.version, u.hour, u.events, u.llm_calls, u.tool_calls, u.errors, u.input_tokens,
            u.output_tokens, u.cost_micros, u.latency_sum_ms, u.latency_count, u.tasks, u.failed_tasks, u.latency_hist::int[]
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::int[], $8::int[], $9::int[],
                 $10::int[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::int[], $16::int[], $17::int[], $18::text[])
          AS u(org_id, agent_id, team_id, model, version, hour, events, llm_calls, tool_calls, errors, input_tokens, output_tokens,
               cost_micros, latency_sum_ms, latency_count, tasks, failed_tasks, latency_hist)
     ON CONFLICT (agent_id, model, version, hour) DO UPDATE SET
       team_id = EXCLUDED.team_id,
       events = r.events + EXCLUDED.events,
       llm_calls = r.llm_calls + EXCLUDED.llm_calls,
       tool_calls = r.tool_calls + EXCLUDED.tool_calls,
       errors = r.errors + EXCLUDED.errors,
       input_tokens = r.input_tokens + EXCLUDED.input_tokens,
       output_tokens = r.output_tokens + EXCLUDED.output_tokens,
       cost_micros = r.cost_micros + EXCLUDED.cost_micros,
       latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
       latency_count = r.latency_count + EXCLUDED.latency_count,
       tasks = r.tasks + EXCLUDED.tasks,
       failed_tasks = r.failed_tasks + EXCLUDED.failed_tasks,
       latency_hist = agentry_add_int_arrays(r.latency_hist, EXCLUDED.latency_hist)`,
    [
      column((delta) => delta.orgId),
      column((delta) => delta.agentId),
      column((delta) => delta.teamId),
      column((delta) => delta.model),
      column((delta) => delta.version),
      column((delta) => delta.hour.toISOString()),
      column((delta) => delta.events),
      column((delta) => delta.llmCalls),
      column((delta) => delta.toolCalls),
      column((delta) => delta.errors),
      column((delta) => delta.inputTokens.toString()),
      column((delta) => delta.outputTokens.toString()),
      column((delta) => delta.costMicros.toString()),
      column((delta) => delta.latencySumMs.toString()),
      column((delta) => delta.latencyCount),
      column((delta) => delta.tasks),
      column((delta) => delta.failedTasks),
      column((delta) => `{${delta.latencyHist.join(",")}}`),
    ],
  );
}

/** Stores already-validated events; returns how many were new and how many were duplicates. (`pool`: the demo seed passes its own at boot.) */
export async function storeEvents(
  principal: AgentPrincipal,
  valid: { index: number; event: AgentEvent }[],
  pool: pg.Pool = getPool(),
): Promise<{ accepted: number; duplicates: number; agentIds: string[]; settlements: Settlement[]; spentAgentIds: string[]; toolCalls: ReportedToolCall[] }> {
  return retryOnConflict(() => inTransaction(pool, async (client) => {
    let agents: Map<string, AgentRef>;
    if (principal.agent) {
      agents = new Map([["", principal.agent]]);
    } else {
      agents = await resolveAgents(client, principal.orgId, [...new Set(valid.map(({ event }) => event.agent ?? ""))]);
    }
    const agentOf = (event: AgentEvent): AgentRef => {
      const agent = principal.agent ?? agents.get(event.agent ?? "");
      if (!agent) throw new Error(`agent ${event.agent} was not resolved`);
      return agent;
    };

    const unpricedModels = [...new Set(valid.filter(({ event }) => event.costUsd === undefined && event.model).map(({ event }) => event.model ?? ""))];
    const prices = await loadPrices(client, principal.orgId, unpricedModels);

    const stored: StoredEvent[] = valid.map(({ index, event }) => {
      const agent = agentOf(event);
      const attributes = event.attributes === undefined ? null : redactJson(pgSafeJson(event.attributes), principal.redaction).value;
      return {
        index,
        orgId: principal.orgId,
        agentId: agent.id,
        teamId: agent.teamId,
        eventId: event.id,
        type: event.type,
        ts: new Date(event.timestamp),
        taskId: nullable(event.taskId),
        traceId: nullable(event.traceId),
        instanceId: nullable(event.instanceId),
        version: nullable(event.version),
        model: nullable(event.model),
        provider: nullable(event.provider),
        inputTokens: nullable(event.inputTokens),
        outputTokens: nullable(event.outputTokens),
        latencyMs: nullable(event.latencyMs),
        tool: nullable(event.tool),
        status: nullable(event.status),
        decisionId: nullable(event.decisionId),
        attributes,
        ...priceEvent(event, prices),
      };
    });

    const inserted = await insertEvents(client, principal.orgId, stored);
    // The first copy of a key in the batch is the one stored; later copies and re-sent events are duplicates.
    const fresh: StoredEvent[] = [];
    for (const event of stored) {
      const key = `${event.agentId}\u0000${event.eventId}`;
      if (inserted.delete(key)) fresh.push(event);
    }
    await upsertRollups(client, fresh);
    // Budgets' "spent": exact micro-dollars per (agent, UTC day), committed with the events.
    const spend = spendDeltas(fresh);
    await upsertSpendDaily(client, spend);
    return {
      accepted: fresh.length,
      duplicates: stored.length - fresh.length,
      agentIds: [...new Set(stored.map((event) => event.agentId))],
      settlements: settlementsOf(fresh),
      spentAgentIds: [...new Set(spend.map((delta) => delta.agentId))],
      toolCalls: reportedToolCalls(fresh),
    };
  }));
}

/**
 * Two batches racing over the same event ids in different orders can deadlock; PostgreSQL
 * aborts one of them. The batch is all-or-nothing, so running it again is safe.
 */
async function retryOnConflict<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || (code !== "40P01" && code !== "40001")) throw error;
    }
  }
}

/**
 * Stores validated events and does what follows their commit, for every door events come in by
 * (the events endpoint, OTLP, MCP): their real cost replaces the decisions' estimates, budget
 * alerts are checked in the background (thresholds and exhaustion are state, so a later check
 * catches up), and reported tool calls and spend rate are checked for loops, before any
 * directives are answered so that a halt shows at once.
 */
export async function storeAndFollowUp(principal: AgentPrincipal, valid: { index: number; event: AgentEvent }[]): Promise<{ accepted: number; duplicates: number }> {
  const { accepted, duplicates, agentIds, settlements, spentAgentIds, toolCalls } = await storeEvents(principal, valid);
  touchAgents(agentIds);
  if (settlements.length > 0) await settleReservations(principal.orgId, settlements);
  if (spentAgentIds.length > 0) void queueBudgetAlertCheck(principal.orgId, spentAgentIds);
  await detectLoopsAfterIngest(principal.orgId, { toolCalls, spentAgentIds });
  return { accepted, duplicates };
}

export async function ingestEvents(principal: AgentPrincipal, payload: unknown, now = new Date()): Promise<IngestOutcome> {
  const { valid, rejected, details } = validateBatch(principal, payload, now);
  if (valid.length === 0) throw new ApiError("invalid_request", "No event in the batch is valid; nothing was stored.", details);
  const { accepted, duplicates } = await storeAndFollowUp(principal, valid);
  const directives = principal.agent ? await directivesFor(principal.orgId, principal.agent) : null;
  return { status: rejected.length > 0 ? 207 : 200, body: { accepted, duplicates, rejected, directives } };
}

/** "Last seen" for the registry; at most one write per agent every few seconds, outside the batch's transaction. */
export function touchAgents(agentIds: string[]): void {
  if (agentIds.length === 0) return;
  getPool()
    .query(
      "UPDATE agents SET last_seen_at = now() WHERE id = ANY($1::uuid[]) AND (last_seen_at IS NULL OR last_seen_at < now() - interval '5 seconds')",
      [agentIds],
    )
    .catch(() => {});
}

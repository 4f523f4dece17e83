// Storing telemetry: what must happen before an ingest request is answered, and nothing more. One
// transaction per batch: the events (deduplicated on (agent, event id): a retried event is a
// duplicate, never counted twice), then in one statement the aggregates of the new ones (hourly
// rollups, daily spend, spend per minute for the spend-rate check, tool calls per hour for drift,
// the data categories redaction found) and the follow-up that does the rest afterwards (settling
// reservations, loop and spend-rate checks, budget alerts, anomaly detection), written to an
// outbox in that same transaction so it exists exactly when the events do
// (server/data/event-follow-ups.ts drains it).
import "server-only";
import type pg from "pg";
import { getPool, inTransaction, retryingConflicts } from "../db/pool";
import { minuteSpendDeltas, settlementsOf, spendDeltas } from "../domain/budget/spend";
import { tokenCostMicros, usdToMicros } from "../domain/cost/money";
import type { AgentProfile, OrgFacts } from "../domain/decide/types";
import { callHash, SPEND_MINUTES_HORIZON_MS } from "../domain/loops/detect";
import { reportedToolCalls } from "../domain/loops/events";
import { redactJson } from "../domain/redaction/redact";
import type { RoutableModel } from "../domain/routing/route";
import { pgSafeJson } from "../domain/telemetry/pg-json";
import { rollupDeltas, type RollupEvent } from "../domain/telemetry/rollup";
import type { AgentEvent } from "../domain/telemetry/events";
import { toolCallDeltas } from "../domain/anomaly/detect";
import { observedCategoryDeltas } from "../domain/compliance/observed";
import { appendAuditRaw } from "./audit";
import type { FollowUp } from "./event-follow-ups";
import { AGENT_PROFILE_SQL, toAgentProfile } from "./facts";

export interface StoredEvent extends RollupEvent {
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

export interface StoreInput {
  orgId: string;
  /** The agent an agent key speaks for; null for an org ingest key (each event names its agent). */
  agent: AgentProfile | null;
  facts: Pick<OrgFacts, "agents" | "agentsByName" | "models" | "redaction">;
  valid: readonly { index: number; event: AgentEvent }[];
  /** Write the follow-up into the outbox (off for historical data seeded at start-up). */
  followUp?: boolean;
}

export interface StoreResult {
  accepted: number;
  duplicates: number;
  agentIds: string[];
}

const nullable = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function priceEvent(event: AgentEvent, prices: ReadonlyMap<string, RoutableModel>): Pick<StoredEvent, "costMicros" | "costSource"> {
  if (event.costUsd !== undefined) return { costMicros: usdToMicros(event.costUsd), costSource: "reported" };
  if (!event.model || (event.inputTokens === undefined && event.outputTokens === undefined)) return { costMicros: null, costSource: null };
  const price = prices.get(event.model);
  if (!price) return { costMicros: null, costSource: "unpriced" };
  return {
    costMicros: tokenCostMicros({
      inputTokens: event.inputTokens ?? 0,
      outputTokens: event.outputTokens ?? 0,
      inputMicrosPerMTok: price.inputMicrosPerMTok,
      outputMicrosPerMTok: price.outputMicrosPerMTok,
    }),
    costSource: "computed",
  };
}

const DISCOVERY_ACTOR = { type: "system" as const, id: null, label: "system (agent discovery)" };

/**
 * The agents an ingest key's events name, by name or id, from the facts; names not in the registry
 * are registered as `discovered` (pending review), audited, in the batch's transaction.
 */
async function resolveAgents(client: pg.PoolClient, input: StoreInput): Promise<Map<string, AgentProfile>> {
  const byReference = new Map<string, AgentProfile>();
  const unknown = new Set<string>();
  for (const { event } of input.valid) {
    const reference = event.agent ?? "";
    if (byReference.has(reference)) continue;
    const known = input.facts.agentsByName.get(reference) ?? input.facts.agents.get(reference);
    if (known) byReference.set(reference, known);
    else unknown.add(reference);
  }
  if (unknown.size === 0) return byReference;

  const names = [...unknown].sort();
  const created = await client.query<{ id: string; name: string }>(
    `INSERT INTO agents (org_id, name, status, last_seen_at)
     SELECT $1, name, 'discovered', now() FROM unnest($2::text[]) AS name
     ON CONFLICT (org_id, name) DO NOTHING
     RETURNING id::text, name`,
    [input.orgId, names],
  );
  for (const row of created.rows) {
    await appendAuditRaw(client, input.orgId, DISCOVERY_ACTOR, {
      action: "agent.discovered",
      targetType: "agent",
      targetId: row.id,
      after: { name: row.name, status: "discovered" },
      reason: "An org ingest key reported events for an agent that is not in the registry",
    });
  }
  // Ours, one discovered at the same moment by another batch, or named by an id the facts did not have yet.
  const { rows } = await client.query<Parameters<typeof toAgentProfile>[0]>(`${AGENT_PROFILE_SQL} WHERE a.org_id = $1 AND (a.name = ANY($2::text[]) OR a.id::text = ANY($2::text[]))`, [input.orgId, names]);
  for (const row of rows) {
    const profile = toAgentProfile(row);
    if (unknown.has(profile.name)) byReference.set(profile.name, profile);
    if (unknown.has(profile.id)) byReference.set(profile.id, profile);
  }
  return byReference;
}

function toStored(input: StoreInput, agents: ReadonlyMap<string, AgentProfile>, prices: ReadonlyMap<string, RoutableModel>): StoredEvent[] {
  return input.valid.map(({ index, event }) => {
    const agent = input.agent ?? agents.get(event.agent ?? "");
    if (!agent) throw new Error(`agent ${event.agent} was not resolved`);
    const attributes = event.attributes === undefined ? null : redactJson(pgSafeJson(event.attributes), input.facts.redaction).value;
    return {
      index,
      orgId: input.orgId,
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
}

const INSERT_EVENTS = `INSERT INTO events (org_id, agent_id, event_id, type, ts, task_id, trace_id, instance_id, version, model, provider,
                     input_tokens, output_tokens, cost_micros, cost_source, latency_ms, tool, status, decision_id, attributes)
 SELECT $1::uuid, * FROM unnest($2::uuid[], $3::text[], $4::"EventType"[], $5::timestamptz[], $6::text[], $7::text[], $8::text[],
                                 $9::text[], $10::text[], $11::text[], $12::int[], $13::int[], $14::bigint[], $15::text[],
                                 $16::int[], $17::text[], $18::text[], $19::text[], $20::jsonb[])
 ON CONFLICT (agent_id, event_id) DO NOTHING`;

// The events of this batch that the insert wrote, when some were not (sent before, or twice in the
// batch): rows this transaction created carry its id as xmin; rows that were there before do not.
const EVENTS_WRITTEN_HERE = `SELECT e.agent_id::text, e.event_id
   FROM events e JOIN unnest($1::uuid[], $2::text[]) AS k(agent_id, event_id) USING (agent_id, event_id)
  WHERE e.xmin = pg_current_xact_id()::xid`;

/**
 * Inserts the events; returns the (agent, event id) keys that were new, or "all". The common batch
 * has no duplicate and is known to be all new from the row count alone: asking PostgreSQL to
 * return a thousand keys only to find them all costs it more than a tenth of the insert.
 */
async function insertEvents(client: pg.PoolClient, orgId: string, events: readonly StoredEvent[]): Promise<Set<string> | "all"> {
  const column = <T>(pick: (event: StoredEvent) => T) => events.map(pick);
  const { rowCount } = await client.query({
    name: "agentry_insert_events",
    text: INSERT_EVENTS,
    values: [
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
  });
  if (rowCount === events.length) return "all";
  const { rows } = await client.query<{ agent_id: string; event_id: string }>({
    name: "agentry_events_written_here",
    text: EVENTS_WRITTEN_HERE,
    values: [column((event) => event.agentId), column((event) => event.eventId)],
  });
  return new Set(rows.map((row) => `${row.agent_id}\u0000${row.event_id}`));
}

/** What follows the commit of `fresh`: settlements, reported tool calls, spend and errors to check. */
function followUpOf(fresh: readonly StoredEvent[], spentAgentIds: readonly string[]): FollowUp {
  const settlements = settlementsOf(fresh).map((settlement) => ({ decisionId: settlement.decisionId, costMicros: settlement.costMicros.toString() }));
  const toolCalls = reportedToolCalls(fresh).map((call) => ({ agentId: call.agentId, tool: call.tool, hash: callHash(call.tool, call.arguments), at: call.at.toISOString() }));
  return { settlements, toolCalls, spentAgentIds: [...spentAgentIds] };
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * Rollups, daily spend, spend per minute and the follow-up of the new events, in one statement.
 * Rows are upserted in key order (the deltas come sorted), so concurrent batches lock them in the
 * same order.
 */
function aggregatesStatement(orgId: string, fresh: readonly StoredEvent[], followUp: boolean): pg.QueryConfig | null {
  const rollups = rollupDeltas(fresh);
  if (rollups.length === 0) return null;
  const spend = spendDeltas(fresh);
  // Sorted by key like the rollups, so concurrent batches lock these rows in one order too.
  const tools = toolCallDeltas(fresh).sort(byKey((delta) => `${delta.agentId}|${delta.tool}|${delta.hour.toISOString()}`));
  const observed = observedCategoryDeltas(fresh).sort(byKey((delta) => `${delta.agentId}|${delta.category}`));
  const minutes = minuteSpendDeltas(fresh, new Date(Date.now() - SPEND_MINUTES_HORIZON_MS));
  const work = followUp ? followUpOf(fresh, [...new Set(spend.map((delta) => delta.agentId))]) : null;
  const r = <T>(pick: (delta: (typeof rollups)[number]) => T) => rollups.map(pick);
  const values: unknown[] = [
    r((delta) => delta.orgId),
    r((delta) => delta.agentId),
    r((delta) => delta.teamId),
    r((delta) => delta.model),
    r((delta) => delta.version),
    r((delta) => delta.hour.toISOString()),
    r((delta) => delta.events),
    r((delta) => delta.llmCalls),
    r((delta) => delta.toolCalls),
    r((delta) => delta.errors),
    r((delta) => delta.inputTokens.toString()),
    r((delta) => delta.outputTokens.toString()),
    r((delta) => delta.costMicros.toString()),
    r((delta) => delta.latencySumMs.toString()),
    r((delta) => delta.latencyCount),
    r((delta) => delta.tasks),
    r((delta) => delta.failedTasks),
    r((delta) => `{${delta.latencyHist.join(",")}}`),
    // $19–$23 daily spend
    spend.map((delta) => delta.orgId),
    spend.map((delta) => delta.agentId),
    spend.map((delta) => delta.teamId),
    spend.map((delta) => delta.day),
    spend.map((delta) => delta.costMicros.toString()),
    // $24–$28 tool calls per hour
    tools.map((delta) => delta.orgId),
    tools.map((delta) => delta.agentId),
    tools.map((delta) => delta.tool),
    tools.map((delta) => delta.hour.toISOString()),
    tools.map((delta) => delta.calls),
    // $29–$34 data categories found
    observed.map((delta) => delta.orgId),
    observed.map((delta) => delta.agentId),
    observed.map((delta) => delta.category),
    observed.map((delta) => delta.firstSeenAt.toISOString()),
    observed.map((delta) => delta.lastSeenAt.toISOString()),
    observed.map((delta) => delta.events),
  ];
  // $35–$39 the follow-up, into the outbox (none for history seeded at start-up)
  values.push(orgId, JSON.stringify(work?.settlements ?? []), JSON.stringify(work?.toolCalls ?? []), work?.spentAgentIds ?? [], work !== null);
  // $40–$43 spend per minute, for the spend-rate check
  values.push(
    minutes.map((delta) => delta.orgId),
    minutes.map((delta) => delta.agentId),
    minutes.map((delta) => delta.minute.toISOString()),
    minutes.map((delta) => delta.costMicros.toString()),
  );
  return {
    name: "agentry_event_aggregates",
    text: `WITH
      rolled AS (
        INSERT INTO event_rollups_hourly AS r (org_id, agent_id, team_id, model, version, hour, events, llm_calls, tool_calls, errors,
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
          latency_hist = agentry_add_int_arrays(r.latency_hist, EXCLUDED.latency_hist)
        RETURNING 1),
      spent AS (
        -- Budgets' "spent": exact micro-dollars per (agent, UTC day).
        INSERT INTO spend_daily AS s (org_id, agent_id, team_id, day, cost_micros)
        SELECT * FROM unnest($19::uuid[], $20::uuid[], $21::uuid[], $22::date[], $23::bigint[])
        ON CONFLICT (agent_id, day) DO UPDATE SET team_id = EXCLUDED.team_id, cost_micros = s.cost_micros + EXCLUDED.cost_micros
        RETURNING 1),
      tooled AS (
        -- The tool-usage mix, for drift detection.
        INSERT INTO tool_call_rollups_hourly AS t (org_id, agent_id, tool, hour, calls)
        SELECT * FROM unnest($24::uuid[], $25::uuid[], $26::text[], $27::timestamptz[], $28::int[])
        ON CONFLICT (agent_id, tool, hour) DO UPDATE SET calls = t.calls + EXCLUDED.calls
        RETURNING 1),
      observed AS (
        -- Data categories redaction found in the agent's events (observed, as against declared).
        INSERT INTO agent_observed_categories AS o (org_id, agent_id, category, first_seen_at, last_seen_at, events)
        SELECT * FROM unnest($29::uuid[], $30::uuid[], $31::text[], $32::timestamptz[], $33::timestamptz[], $34::int[])
        ON CONFLICT (agent_id, category) DO UPDATE SET
          first_seen_at = LEAST(o.first_seen_at, EXCLUDED.first_seen_at),
          last_seen_at = GREATEST(o.last_seen_at, EXCLUDED.last_seen_at),
          events = o.events + EXCLUDED.events
        RETURNING 1),
      minutes AS (
        -- Spend per minute, for the spend-rate check (server/data/loops.ts).
        INSERT INTO spend_minutes AS m (org_id, agent_id, minute, cost_micros)
        SELECT * FROM unnest($40::uuid[], $41::uuid[], $42::timestamptz[], $43::bigint[])
        ON CONFLICT (agent_id, minute) DO UPDATE SET cost_micros = m.cost_micros + EXCLUDED.cost_micros
        RETURNING 1),
      followed AS (
        -- The follow-up, for the events:drain-follow-ups job (server/data/event-follow-ups.ts).
        INSERT INTO event_follow_ups (org_id, settlements, tool_calls, spent_agent_ids)
        SELECT $35::uuid, $36::jsonb, $37::jsonb, $38::uuid[] WHERE $39::boolean
        RETURNING 1)
      SELECT (SELECT count(*) FROM rolled) AS rolled, (SELECT count(*) FROM spent) AS spent, (SELECT count(*) FROM tooled) AS tooled,
             (SELECT count(*) FROM observed) AS observed, (SELECT count(*) FROM minutes) AS minutes, (SELECT count(*) FROM followed) AS followed`,
    values,
  };
}

/** Stores already-validated events in one transaction (see the top of this file). */
export async function storeEvents(input: StoreInput, pool: pg.Pool = getPool()): Promise<StoreResult> {
  const prices = new Map(input.facts.models.map((model) => [model.name, model]));
  // Two batches racing over the same event ids in different orders can deadlock; the batch is all or nothing, so it runs again.
  return retryingConflicts(() =>
    inTransaction(pool, async (client) => {
      const agents = input.agent ? new Map<string, AgentProfile>() : await resolveAgents(client, input);
      const stored = toStored(input, agents, prices);
      const inserted = await insertEvents(client, input.orgId, stored);
      // The first copy of a key in the batch is the one stored; later copies and re-sent events are duplicates.
      const fresh = inserted === "all" ? stored : stored.filter((event) => inserted.delete(`${event.agentId}\u0000${event.eventId}`));
      const aggregates = aggregatesStatement(input.orgId, fresh, input.followUp !== false);
      if (aggregates) await client.query(aggregates);
      return { accepted: fresh.length, duplicates: stored.length - fresh.length, agentIds: [...new Set(stored.map((event) => event.agentId))] };
    }),
  );
}

/** "Last seen" for the registry; at most one write per agent every few seconds, outside the batch's transaction. */
export function touchAgents(agentIds: readonly string[]): void {
  if (agentIds.length === 0) return;
  getPool()
    .query("UPDATE agents SET last_seen_at = now() WHERE id = ANY($1::uuid[]) AND (last_seen_at IS NULL OR last_seen_at < now() - interval '5 seconds')", [[...agentIds]])
    .catch(() => {});
}

// Reading stored telemetry for the console's Events page. Every query is scoped to one org and,
// for team leads, joined through agents.team_id to their teams: an agent moved to another team
// takes its history with it. Newest first by (ts desc, id desc), matching the (org_id, ts desc) index.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { Reach } from "../domain/access/permissions";
import { found, refuse } from "../domain/refusal";
import { decodeEventCursor, encodeEventCursor } from "../domain/telemetry/event-cursor";
import { EVENT_TYPES, type EventType } from "../domain/telemetry/events";
import { findAgentInReach } from "./agents";

export type EventTypeValue = EventType;

export interface EventFilter {
  agentId?: string;
  type?: EventTypeValue;
  model?: string;
  taskId?: string;
  from?: Date;
  to?: Date;
}

interface EventRow {
  id: bigint;
  event_id: string;
  agent_id: string;
  agent_name: string;
  agent_status: string;
  team_id: string | null;
  type: EventTypeValue;
  ts: Date;
  received_at: Date;
  task_id: string | null;
  trace_id: string | null;
  instance_id: string | null;
  version: string | null;
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_micros: bigint | null;
  cost_source: string | null;
  latency_ms: number | null;
  tool: string | null;
  status: string | null;
  decision_id: string | null;
  has_attributes: boolean;
}

const COLUMNS = Prisma.sql`
  e.id, e.event_id, e.agent_id, a.name AS agent_name, a.status::text AS agent_status, a.team_id, e.type::text AS type, e.ts,
  e.received_at, e.task_id, e.trace_id, e.instance_id, e.version, e.model, e.provider, e.input_tokens, e.output_tokens,
  e.cost_micros, e.cost_source, e.latency_ms, e.tool, e.status, e.decision_id,
  (e.attributes IS NOT NULL AND e.attributes <> '{}'::jsonb) AS has_attributes`;

function scopeConditions(orgId: string, reach: Reach): Prisma.Sql[] {
  const conditions = [Prisma.sql`e.org_id = ${orgId}::uuid`];
  if (reach.kind === "teams") {
    // An empty team list must match nothing, not everything.
    conditions.push(reach.teamIds.length > 0 ? Prisma.sql`a.team_id = ANY(${[...reach.teamIds]}::uuid[])` : Prisma.sql`FALSE`);
  }
  return conditions;
}

function filterConditions(filter: EventFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.agentId) conditions.push(Prisma.sql`e.agent_id = ${filter.agentId}::uuid`);
  if (filter.type) conditions.push(Prisma.sql`e.type = ${filter.type}::"EventType"`);
  if (filter.model) conditions.push(Prisma.sql`e.model = ${filter.model}`);
  if (filter.taskId) conditions.push(Prisma.sql`e.task_id = ${filter.taskId}`);
  if (filter.from) conditions.push(Prisma.sql`e.ts >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`e.ts < ${filter.to}`);
  return conditions;
}

function toEvent(row: EventRow) {
  return {
    id: row.id.toString(),
    eventId: row.event_id,
    agent: { id: row.agent_id, name: row.agent_name, status: row.agent_status, teamId: row.team_id },
    type: row.type,
    ts: row.ts,
    receivedAt: row.received_at,
    taskId: row.task_id,
    traceId: row.trace_id,
    instanceId: row.instance_id,
    version: row.version,
    model: row.model,
    provider: row.provider,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    /** Micro-dollars as a decimal string (JSON has no 64-bit integers); null when unpriced. */
    costMicros: row.cost_micros === null ? null : row.cost_micros.toString(),
    costSource: row.cost_source,
    latencyMs: row.latency_ms,
    tool: row.tool,
    status: row.status,
    decisionId: row.decision_id,
    hasAttributes: row.has_attributes,
  };
}
export type EventSummary = ReturnType<typeof toEvent>;

/**
 * Stored events, newest first, a page at a time (`cursor`: the previous page's `nextCursor`).
 * Asking for another team's agent by id is refused outright, as the agent's page is.
 */
export async function listEvents(
  db: DbOrTx,
  access: Pick<AuthorizedOrg, "orgId" | "reach">,
  filter: EventFilter,
  page: { limit: number; cursor?: string | null },
): Promise<{ events: EventSummary[]; nextCursor: string | null }> {
  if (filter.agentId) await findAgentInReach(db, access, filter.agentId);
  const after = page.cursor ? decodeEventCursor(page.cursor) : null;
  if (page.cursor && !after) refuse("BAD_REQUEST", "That page cursor is not valid; reload the list.");
  const conditions = [...scopeConditions(access.orgId, access.reach), ...filterConditions(filter)];
  if (after) conditions.push(Prisma.sql`(e.ts, e.id) < (${after.ts}, ${after.id})`);
  const rows = await db.$queryRaw<EventRow[]>`
    SELECT ${COLUMNS}
      FROM events e
      JOIN agents a ON a.id = e.agent_id
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY e.ts DESC, e.id DESC
     LIMIT ${page.limit + 1}`;
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return { events: shown.map(toEvent), nextCursor: more && last ? encodeEventCursor({ ts: last.ts, id: last.id }) : null };
}

/** One event with its (already redacted) attributes; outside the org or the caller's reach it does not exist (NOT_FOUND). */
export async function findEvent(db: DbOrTx, orgId: AuthorizedOrgId, reach: Reach, id: bigint) {
  const conditions = [...scopeConditions(orgId, reach), Prisma.sql`e.id = ${id}`];
  const rows = await db.$queryRaw<(EventRow & { attributes: unknown })[]>`
    SELECT ${COLUMNS}, e.attributes
      FROM events e
      JOIN agents a ON a.id = e.agent_id
     WHERE ${Prisma.join(conditions, " AND ")}`;
  const row = found(rows[0], "event");
  return { ...toEvent(row), attributes: row.attributes ?? null };
}

const FACET_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Values for the Events page's filter dropdowns: the models seen in the last 30 days, read from
 * the hourly rollups (thousands of rows, not millions of events).
 */
export async function eventFacets(db: DbOrTx, orgId: AuthorizedOrgId, reach: Reach, now = new Date()): Promise<{ models: string[]; types: EventType[] }> {
  const since = new Date(now.getTime() - FACET_WINDOW_MS);
  const scope = reach.kind === "teams" ? (reach.teamIds.length > 0 ? Prisma.sql`AND a.team_id = ANY(${[...reach.teamIds]}::uuid[])` : Prisma.sql`AND FALSE`) : Prisma.empty;
  const rows = await db.$queryRaw<{ model: string }[]>`
    SELECT DISTINCT r.model
      FROM event_rollups_hourly r
      JOIN agents a ON a.id = r.agent_id
     WHERE r.org_id = ${orgId}::uuid AND r.hour >= ${since} AND r.model <> '' ${scope}
     ORDER BY r.model`;
  return { models: rows.map((row) => row.model), types: [...EVENT_TYPES] };
}

// What ingest records for compliance and observability, per batch, in the batch's transaction:
// the data categories redaction found per agent (observed, as against declared), and tool calls
// per (agent, tool, hour) for the tool-mix drift. The pure halves are
// server/domain/compliance/observed.ts (observedCategoryDeltas) and
// server/domain/anomaly/detect.ts (toolCallDeltas); these store what they return.
import type pg from "pg";
import type { ToolCallDelta } from "../domain/anomaly/detect";
import type { ObservedCategoryDelta } from "../domain/compliance/observed";
import { sqlRows, type SqlClient } from "./alerts";

/** Upserts (agent, category) with its event count and first/last seen. One statement; no-op when empty. */
export async function recordObservedCategories(client: pg.PoolClient | SqlClient, deltas: readonly ObservedCategoryDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await sqlRows(
    client as SqlClient,
    `INSERT INTO agent_observed_categories AS o (org_id, agent_id, category, first_seen_at, last_seen_at, events)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[])
     ON CONFLICT (agent_id, category) DO UPDATE SET
       first_seen_at = LEAST(o.first_seen_at, EXCLUDED.first_seen_at),
       last_seen_at = GREATEST(o.last_seen_at, EXCLUDED.last_seen_at),
       events = o.events + EXCLUDED.events
     RETURNING 1 AS done`,
    [
      deltas.map((delta) => delta.orgId),
      deltas.map((delta) => delta.agentId),
      deltas.map((delta) => delta.category),
      deltas.map((delta) => delta.firstSeenAt.toISOString()),
      deltas.map((delta) => delta.lastSeenAt.toISOString()),
      deltas.map((delta) => delta.events),
    ],
  );
}

/** Adds tool calls to the hourly per-tool rollup. One statement; no-op when empty. */
export async function upsertToolCallRollup(client: pg.PoolClient | SqlClient, deltas: readonly ToolCallDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await sqlRows(
    client as SqlClient,
    `INSERT INTO tool_call_rollups_hourly AS r (org_id, agent_id, tool, hour, calls)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int[])
     ON CONFLICT (agent_id, tool, hour) DO UPDATE SET calls = r.calls + EXCLUDED.calls
     RETURNING 1 AS done`,
    [
      deltas.map((delta) => delta.orgId),
      deltas.map((delta) => delta.agentId),
      deltas.map((delta) => delta.tool),
      deltas.map((delta) => delta.hour.toISOString()),
      deltas.map((delta) => delta.calls),
    ],
  );
}

/**
 * Rebuilds both from the stored events of an org (for events stored before ingest recorded them:
 * the demo's history, an upgrade). Replaces what was there, so it can be run again safely.
 */
export async function rebuildComplianceRollups(client: SqlClient, orgId: string): Promise<{ toolRows: number; categoryRows: number }> {
  await sqlRows(client, "DELETE FROM tool_call_rollups_hourly WHERE org_id = $1::uuid RETURNING 1 AS done", [orgId]);
  const tools = await sqlRows<{ n: number }>(
    client,
    `WITH ins AS (
       INSERT INTO tool_call_rollups_hourly (org_id, agent_id, tool, hour, calls)
       SELECT org_id, agent_id, tool, date_trunc('hour', ts), count(*)::int FROM events
        WHERE org_id = $1::uuid AND type = 'tool_call' AND tool IS NOT NULL
        GROUP BY 1, 2, 3, 4
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [orgId],
  );
  await sqlRows(client, "DELETE FROM agent_observed_categories WHERE org_id = $1::uuid RETURNING 1 AS done", [orgId]);
  // The placeholders redaction stores, per data category (server/domain/compliance/observed.ts).
  const categories = await sqlRows<{ n: number }>(
    client,
    `WITH found AS (
       SELECT e.id, e.agent_id, e.ts, c.category
         FROM events e
         CROSS JOIN (VALUES ('PII', '%[REDACTED:EMAIL]%'), ('PII', '%[REDACTED:PHONE]%'), ('PII', '%[REDACTED:SSN]%'),
                            ('PCI', '%[REDACTED:CARD]%'), ('financial', '%[REDACTED:IBAN]%')) AS c(category, pattern)
        WHERE e.org_id = $1::uuid AND e.attributes IS NOT NULL AND e.attributes::text LIKE c.pattern
     ), per_event AS (
       SELECT DISTINCT id, agent_id, ts, category FROM found
     ), ins AS (
       INSERT INTO agent_observed_categories (org_id, agent_id, category, first_seen_at, last_seen_at, events)
       SELECT $1::uuid, agent_id, category, min(ts), max(ts), count(*)::int FROM per_event GROUP BY agent_id, category
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [orgId],
  );
  return { toolRows: tools[0]?.n ?? 0, categoryRows: categories[0]?.n ?? 0 };
}

// The compliance and observability aggregates ingest keeps per batch (server/data/event-store.ts:
// data categories redaction found per agent, tool calls per agent, tool and hour), rebuilt here
// from stored events for data stored before ingest kept them (an upgrade).
import { sqlRows, type SqlClient } from "../db/sql";

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

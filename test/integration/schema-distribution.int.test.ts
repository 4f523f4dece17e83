// The schema stays distributable by organisation (docs/scaling.md, "Past one database: Citus").
// Every table of the migrated database (read from pg_catalog, so a new table is judged without
// anyone listing it here) is one of:
//   - a tenant table that carries org_id in its primary key or in a unique key;
//   - a tenant table (org_id is a column) whose key gains org_id only when it is distributed,
//     listed below with the key it takes then and why a unique key with org_id is not added today;
//   - a global table (no org_id), listed below with the reason.
// And every unique key of a tenant table that does not include org_id, which Citus would refuse on
// a table distributed by org_id, is one the document lists as a change to make: a new one fails here
// until it is thought about and written down.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseUrl } from "./helpers";

/** No org_id, on purpose: what they are on Citus (reference tables, or local to the coordinator) and why. */
const GLOBAL_TABLES: Record<string, string> = {
  "public.orgs": "the organisations themselves: distributed by id (co-located with org_id), or a reference table",
  "public.users": "people are global (one account, memberships in several orgs): a reference table",
  "public.password_resets": "belong to users, before any org is chosen: a reference table",
  "public.sign_in_throttles": "per email address, before anyone is known to belong to an org: a reference table",
  "public.job_receipts": "the job queue's exactly-once bookkeeping, keyed by the queue's job id: local to the coordinator, with the queue",
  "public._agentry_migrations": "which migrations ran: local to the coordinator",
};
/** Whole schemas that are not ours: graphile-worker's job queue lives on the coordinator (docs/scaling.md). */
const GLOBAL_SCHEMAS: Record<string, string> = {
  graphile_worker: "the job queue (graphile-worker's own tables): local to the coordinator",
};

/**
 * Tenant tables (org_id is a column) with no unique key that includes it today, and the primary key
 * each takes on Citus (where the statements that name their conflict target change with it).
 */
const DEFERRED_ORG_KEYS: Record<string, { citusKey: string; why: string }> = {
  tool_call_log: { citusKey: "(org_id, id)", why: "a minutes-long window written on every tool decision, with no org-first index to widen: an extra index would only cost" },
  event_rollups_hourly: { citusKey: "(org_id, agent_id, model, version, hour)", why: "upserted on (agent_id, model, version, hour): a second unique key would turn concurrent upserts into errors" },
  spend_daily: { citusKey: "(org_id, agent_id, day)", why: "upserted on (agent_id, day): a second unique key would turn concurrent upserts into errors" },
  spend_minutes: { citusKey: "(org_id, agent_id, minute)", why: "upserted on (agent_id, minute): a second unique key would turn concurrent upserts into errors" },
  tool_call_rollups_hourly: { citusKey: "(org_id, agent_id, tool, hour)", why: "upserted on (agent_id, tool, hour): a second unique key would turn concurrent upserts into errors" },
  agent_observed_categories: { citusKey: "(org_id, agent_id, category)", why: "upserted on (agent_id, category): a second unique key would turn concurrent upserts into errors" },
  agent_instances: { citusKey: "(org_id, agent_id, instance_id)", why: "upserted on (agent_id, instance_id) by heartbeats and streams: a second unique key would turn concurrent upserts into errors" },
  directive_acks: {
    citusKey: "(org_id, agent_id, instance_id, revision)",
    why: "inserted ON CONFLICT (agent_id, instance_id, revision): a second unique key would turn concurrent acknowledgements into errors",
  },
  control_evaluations: { citusKey: "(org_id, agent_id, control_id)", why: "upserted on (agent_id, control_id) by the evaluation job: a second unique key would turn concurrent runs into errors" },
};

/**
 * Unique keys of tenant tables without org_id: on Citus each becomes (org_id, …) or, for lookups
 * that must find the org first (a key's hash, an invitation's token), moves to a reference table.
 */
const CITUS_KEY_CHANGES = [
  "agent_instances (agent_id, instance_id) [primary key]",
  "agent_observed_categories (agent_id, category) [primary key]",
  "agent_versions (agent_id, label)",
  "agent_versions (id) [primary key]",
  "agent_versions (stable_for)",
  "agents (id) [primary key]",
  "alerts (id) [primary key]",
  "anomalies (agent_id, metric, hour)",
  "anomalies (id) [primary key]",
  "api_keys (hash)",
  "api_keys (id) [primary key]",
  "approvals (id) [primary key]",
  "audit_entries (id) [primary key]",
  "budget_reservations (decision_id)",
  "budget_reservations (id) [primary key]",
  "budget_usage (budget_id, period_start) [primary key]",
  "budgets (id) [primary key]",
  "control_evaluations (agent_id, control_id) [primary key]",
  "decisions (id) [primary key]",
  "directive_acks (agent_id, instance_id, revision) [primary key]",
  "event_rollups_hourly (agent_id, model, version, hour) [primary key]",
  "events (agent_id, event_id)",
  "events (id) [primary key]",
  "incidents (id) [primary key]",
  "invitations (id) [primary key]",
  "invitations (token_hash)",
  "kill_switches (id) [primary key]",
  "membership_teams (membership_id, team_id) [primary key]",
  "memberships (id) [primary key]",
  "models (id) [primary key]",
  "policies (id) [primary key]",
  "policy_versions (policy_id, version) [primary key]",
  "release_events (id) [primary key]",
  "rollouts (active_for)",
  "rollouts (id) [primary key]",
  "routing_rules (id) [primary key]",
  "spend_daily (agent_id, day) [primary key]",
  "spend_minutes (agent_id, minute) [primary key]",
  "teams (id) [primary key]",
  "tool_call_log (id) [primary key]",
  "tool_call_rollups_hourly (agent_id, tool, hour) [primary key]",
  "webhook_deliveries (id) [primary key]",
  "webhook_deliveries (webhook_id, alert_id)",
  "webhooks (id) [primary key]",
];

interface TableKeys {
  schema: string;
  table: string;
  hasOrgId: boolean;
  keys: { primary: boolean; columns: string[] }[];
}

let tables: TableKeys[];
const client = new pg.Client({ connectionString: databaseUrl });

beforeAll(async () => {
  await client.connect();
  const { rows } = await client.query<{ schema: string; table: string; has_org_id: boolean; keys: { primary: boolean; columns: string[] }[] | null }>(
    `SELECT n.nspname AS schema, c.relname AS table,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped) AS has_org_id,
            (SELECT json_agg(json_build_object(
                      'primary', i.indisprimary,
                      'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)))
               FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indpred IS NULL) AS keys
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'
      ORDER BY 1, 2`,
  );
  tables = rows.map((row) => ({ schema: row.schema, table: row.table, hasOrgId: row.has_org_id, keys: row.keys ?? [] }));
});
afterAll(() => client.end());

const name = (table: TableKeys) => (table.schema === "public" ? table.table : `${table.schema}.${table.table}`);
const qualified = (table: TableKeys) => `${table.schema}.${table.table}`;
const hasOrgKey = (table: TableKeys) => table.keys.some((key) => key.columns.includes("org_id"));

describe("the schema stays distributable by organisation", () => {
  test("the tables are read from the database", () => {
    expect(tables.length).toBeGreaterThan(40);
    expect(tables.map(name)).toEqual(expect.arrayContaining(["events", "agents", "orgs", "graphile_worker._private_jobs"]));
  });

  test("every table carries org_id in its primary key or a unique key, or is listed with a reason (its key on Citus, or why it is global)", () => {
    const unexplained: string[] = [];
    for (const table of tables) {
      const global = GLOBAL_SCHEMAS[table.schema] ?? GLOBAL_TABLES[qualified(table)];
      if (global) {
        // A global table that grew an org_id is a tenant table now: take it off the list.
        if (table.hasOrgId) unexplained.push(`${name(table)} is listed as global but has org_id`);
        continue;
      }
      if (!table.hasOrgId) {
        unexplained.push(`${name(table)} has no org_id and is not listed as global`);
        continue;
      }
      const listed = DEFERRED_ORG_KEYS[table.table];
      if (hasOrgKey(table) && listed) unexplained.push(`${name(table)} has a unique key with org_id now: take it off DEFERRED_ORG_KEYS`);
      if (!hasOrgKey(table) && !listed) unexplained.push(`${name(table)} has org_id in no primary or unique key`);
    }
    expect(unexplained).toEqual([]);
  });

  test("every listed table exists", () => {
    const present = new Set(tables.map(qualified));
    const listed = [...Object.keys(GLOBAL_TABLES), ...Object.keys(DEFERRED_ORG_KEYS).map((table) => `public.${table}`)];
    expect(listed.filter((table) => !present.has(table))).toEqual([]);
    expect(Object.keys(GLOBAL_SCHEMAS).filter((schema) => !tables.some((table) => table.schema === schema))).toEqual([]);
  });

  test("the unique keys Citus would refuse are exactly those docs/scaling.md lists as changes", () => {
    const found = tables
      .filter((table) => table.hasOrgId && table.schema === "public")
      .flatMap((table) => table.keys.filter((key) => !key.columns.includes("org_id")).map((key) => `${table.table} (${key.columns.join(", ")})${key.primary ? " [primary key]" : ""}`))
      .sort();
    expect(found).toEqual([...CITUS_KEY_CHANGES].sort());
  });
});

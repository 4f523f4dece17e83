// bench/org-keys: what a unique key that includes org_id costs the write-heavy tables (events,
// decisions, tool_call_log, budget_reservations), the price of keeping the schema distributable
// by organisation (docs/scaling.md). In a scratch embedded PostgreSQL with the migrated schema,
// rows are inserted in batches as the app writes them, for each variant of the table's indexes:
//   as migrated                  — the indexes the table has today
//   + unique (org_id, id)        — one more index
//   org-first index made unique  — an existing (org_id, …) index widened by id and made unique
//                                  (no extra index; the same reads, and a keyset order for paging);
//                                  measured against the plain org-first index it replaced
// The migration took the third way (docs/scaling.md); the bench measures it against the other two.
// Variants alternate over several rounds; the median rows per second of each is printed beside
// the first's, with the machine. `npm run bench:org-keys -- --rows 100000 --rounds 5`.
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { applyMigrations } from "../server/db/migrate";
import { benchResult, describeMachine } from "./lib";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    rounds: { type: "string", default: "5" },
  },
});
const ROWS = Number(args.rows);
const ROUNDS = Number(args.rounds);

interface Variant {
  name: string;
  /** DDL that makes the variant from the migrated table, and the DDL that undoes it. */
  apply: string;
  undo: string;
}

interface Table {
  table: string;
  /** Rows per statement, as the app writes them. */
  batch: number;
  variants: Variant[];
  insert: (client: pg.Client, count: number, fixture: Fixture) => Promise<void>;
}

interface Fixture {
  orgId: string;
  agentIds: string[];
}

const AS_MIGRATED: Variant = { name: "as migrated", apply: "", undo: "" };
const MIGRATED_KEYS: Record<string, string> = {
  events: "unique (org_id, ts DESC, id DESC)",
  decisions: "unique (org_id, at DESC, id DESC)",
  tool_call_log: "no unique key with org_id",
  budget_reservations: "unique (org_id, agent_id, id)",
};
const plusOrgId = (table: string): Variant => ({
  name: "+ unique (org_id, id)",
  apply: `CREATE UNIQUE INDEX bench_${table}_org_id_id ON ${table} (org_id, id)`,
  undo: `DROP INDEX bench_${table}_org_id_id`,
});
/** The migrated table with its widened unique org-first index put back to the plain index it replaced. */
const beforeMigration = (table: string, unique: string, uniqueColumns: string, plainColumns: string): Variant => ({
  name: `before: plain (${plainColumns})`,
  apply: `DROP INDEX ${unique}; CREATE INDEX bench_${table}_plain ON ${table} (${plainColumns})`,
  undo: `DROP INDEX bench_${table}_plain; CREATE UNIQUE INDEX ${unique} ON ${table} (${uniqueColumns})`,
});

let sequence = 0;

const TABLES: Table[] = [
  {
    table: "events",
    batch: 1000,
    variants: [AS_MIGRATED, beforeMigration("events", "events_org_id_ts_id_key", "org_id, ts DESC, id DESC", "org_id, ts DESC"), plusOrgId("events")],
    // The columns and shape of the ingest statement (server/data/event-store.ts).
    insert: async (client, count, { orgId, agentIds }) => {
      const n = Array.from({ length: count }, () => ++sequence);
      await client.query(
        `INSERT INTO events (org_id, agent_id, event_id, type, ts, task_id, instance_id, model, provider, input_tokens, output_tokens, cost_micros, cost_source, latency_ms, attributes)
         SELECT $1::uuid, * FROM unnest($2::uuid[], $3::text[], $4::"EventType"[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::int[], $12::bigint[], $13::text[], $14::int[], $15::jsonb[])
         ON CONFLICT (agent_id, event_id) DO NOTHING`,
        [
          orgId,
          n.map((i) => agentIds[i % agentIds.length]),
          n.map((i) => `evt-${i}`),
          n.map((i) => (i % 5 === 0 ? "tool_call" : "llm_call")),
          n.map(() => new Date().toISOString()),
          n.map((i) => `task-${Math.floor(i / 10)}`),
          n.map(() => "bench-1"),
          n.map(() => "gpt-5-mini"),
          n.map(() => "openai"),
          n.map((i) => 800 + (i % 1200)),
          n.map((i) => 120 + (i % 400)),
          n.map((i) => String(1000 + i)),
          n.map(() => "computed"),
          n.map((i) => 300 + (i % 900)),
          n.map((i) => JSON.stringify({ prompt_id: `p-${i % 50}`, region: "eu-west-1" })),
        ],
      );
    },
  },
  {
    table: "decisions",
    batch: 16,
    variants: [AS_MIGRATED, beforeMigration("decisions", "decisions_org_id_at_id_key", "org_id, at DESC, id DESC", "org_id, at DESC"), plusOrgId("decisions")],
    // Decisions arrive in small groups (the decide path's group commit).
    insert: async (client, count, { orgId, agentIds }) => {
      const n = Array.from({ length: count }, () => ++sequence);
      await client.query(
        `INSERT INTO decisions (id, org_id, agent_id, action_type, action_name, arguments, decision, reasons, estimated_cost_micros, at)
         SELECT x.id, $1::uuid, x.agent, 'tool', x.name, x.args, 'allow', '[]'::jsonb, 500, now()
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::jsonb[]) AS x(id, agent, name, args)`,
        [orgId, n.map(() => randomUUID()), n.map((i) => agentIds[i % agentIds.length]), n.map((i) => `tool-${i % 20}`), n.map((i) => JSON.stringify({ query: `order ${i}` }))],
      );
    },
  },
  {
    table: "tool_call_log",
    batch: 16,
    variants: [AS_MIGRATED, plusOrgId("tool_call_log")],
    insert: async (client, count, { orgId, agentIds }) => {
      const n = Array.from({ length: count }, () => ++sequence);
      await client.query(`INSERT INTO tool_call_log (org_id, agent_id, call_hash, at) SELECT $1::uuid, a, h, now() FROM unnest($2::uuid[], $3::text[]) AS t(a, h)`, [
        orgId,
        n.map((i) => agentIds[i % agentIds.length]),
        n.map((i) => `decide:${(i * 2654435761) % 1_000_003}`),
      ]);
    },
  },
  {
    table: "budget_reservations",
    batch: 16,
    variants: [AS_MIGRATED, beforeMigration("budget_reservations", "budget_reservations_org_id_agent_id_id_key", "org_id, agent_id, id", "org_id, agent_id"), plusOrgId("budget_reservations")],
    insert: async (client, count, { orgId, agentIds }) => {
      const n = Array.from({ length: count }, () => ++sequence);
      await client.query(
        `INSERT INTO budget_reservations (org_id, agent_id, decision_id, amount_micros, holds, expires_at)
         SELECT $1::uuid, a, d, 500, '[]'::jsonb, now() + interval '1 hour' FROM unnest($2::uuid[], $3::uuid[]) AS t(a, d)`,
        [orgId, n.map((i) => agentIds[i % agentIds.length]), n.map(() => randomUUID())],
      );
    },
  },
];

async function timeInserts(client: pg.Client, table: Table, fixture: Fixture): Promise<number> {
  await client.query(`TRUNCATE ${table.table}`);
  await client.query("CHECKPOINT");
  const started = performance.now();
  for (let done = 0; done < ROWS; done += table.batch) await table.insert(client, Math.min(table.batch, ROWS - done), fixture);
  return ROWS / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const scratch = mkdtempSync(join(tmpdir(), "agentry-bench-org-keys-"));
chmodSync(scratch, 0o755);
const database = await startEmbeddedPostgres({ dir: join(scratch, "pg"), password: randomBytes(18).toString("base64url") });
try {
  await applyMigrations(database.url, { jobQueue: false });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  console.log(await describeMachine(database.url));
  console.log(`${ROWS.toLocaleString("en-US")} rows per table and variant, ${ROUNDS} rounds (variants alternate), median of the rounds\n`);
  const orgId = (await client.query<{ id: string }>("INSERT INTO orgs (id, slug, name) VALUES (gen_random_uuid(), 'bench', 'Bench') RETURNING id")).rows[0]?.id ?? "";
  const agentIds: string[] = [];
  for (let i = 0; i < 8; i++) agentIds.push((await client.query<{ id: string }>("INSERT INTO agents (org_id, name) VALUES ($1, $2) RETURNING id", [orgId, `bench-${i}`])).rows[0]?.id ?? "");
  const fixture = { orgId, agentIds };

  console.log("| table (rows per statement) | variant | rows/s, median (lowest – highest) | against as migrated |");
  console.log("| --- | --- | --- | --- |");
  const figures: { measure: string; figure: string }[] = [];
  for (const table of TABLES) {
    const rates = new Map<string, number[]>(table.variants.map((variant) => [variant.name, []]));
    await table.insert(client, table.batch, fixture); // warm the statement and the table
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another variant, so none always runs first (or last) on a busy machine.
      const order = table.variants.map((_, index) => table.variants[(index + round) % table.variants.length] as Variant);
      for (const variant of order) {
        if (variant.apply) await client.query(variant.apply);
        rates.get(variant.name)?.push(await timeInserts(client, table, fixture));
        if (variant.undo) await client.query(variant.undo);
      }
    }
    const base = median(rates.get(AS_MIGRATED.name) ?? []);
    for (const variant of table.variants) {
      const rate = median(rates.get(variant.name) ?? []);
      const percent = ((rate - base) / base) * 100;
      const change = variant === AS_MIGRATED ? "—" : `${percent >= 0 ? "+" : ""}${percent.toFixed(1)} %`;
      const all = rates.get(variant.name) ?? [];
      const spread = `${Math.round(Math.min(...all)).toLocaleString("en-US")} – ${Math.round(Math.max(...all)).toLocaleString("en-US")}`;
      const label = variant === AS_MIGRATED ? `as migrated: ${MIGRATED_KEYS[table.table] ?? ""}` : variant.name;
      console.log(`| ${table.table} (${table.batch}) | ${label} | ${Math.round(rate).toLocaleString("en-US")} (${spread}) | ${change} |`);
      if (variant !== AS_MIGRATED) figures.push({ measure: `${table.table} inserts/s, ${variant.name}, against as migrated`, figure: change });
    }
  }
  await client.end();
  benchResult(
    "org-keys",
    figures.map((figure) => ({ ...figure, aim: null, met: null })),
  );
} finally {
  await database.stop();
  rmSync(scratch, { recursive: true, force: true });
}

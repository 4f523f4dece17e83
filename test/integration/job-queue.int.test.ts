// The job queue on a fresh database. Found by bench:decide: an app starting on a new database
// queued its first jobs while its own worker registered the job names, each transaction adding
// the same new names in another order, and PostgreSQL killed one as a deadlock (the start failed).
// Names are now registered up front, in one order; queueing after that adds no names at all.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { applyMigrations } from "../../server/db/migrate";
import { addJobs, job } from "../../server/jobs/queue";
import { registerJobNames } from "../../server/jobs/worker";
import { databaseUrl } from "./helpers";

const name = `jobs_${randomUUID().replaceAll("-", "")}`;
let url: string;
let admin: pg.Client;
let pool: pg.Pool;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const scratch = new URL(databaseUrl);
  scratch.pathname = `/${name}`;
  url = scratch.toString();
  await applyMigrations(url);
  pool = new pg.Pool({ connectionString: url, max: 4 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  // pg's pool.end() resolves once its clients are asked to close, not once they have: dropping the
  // database under one still closing kills it, and its error surfaces as unhandled. Wait for them.
  for (let waited = 0; waited < 5_000; waited += 50) {
    const { rows } = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
    if (rows[0]?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

test("queueing jobs while a worker registers its task names, in the opposite order, does not deadlock", async () => {
  await registerJobNames(pool);
  const queuer = await pool.connect();
  const worker = await pool.connect();
  try {
    await queuer.query("SET lock_timeout = '5s'");
    await worker.query("SET lock_timeout = '5s'");
    await queuer.query("BEGIN");
    await worker.query("BEGIN");
    // A process queues its first job...
    await addJobs(queuer, [job("rollouts:evaluate", {}, { key: "fresh-start" })]);
    // ...while a worker registers its names as graphile-worker does, the same name last.
    const registering = worker.query("INSERT INTO graphile_worker._private_tasks (identifier) SELECT i FROM unnest($1::text[]) AS u(i) ON CONFLICT DO NOTHING", [["webhooks:deliver", "rollouts:evaluate"]]);
    // ...and the first process queues another job in the same transaction.
    await addJobs(queuer, [job("webhooks:deliver", { deliveryId: randomUUID() })]);
    await queuer.query("COMMIT");
    await registering;
    await worker.query("COMMIT");
  } finally {
    queuer.release();
    worker.release();
  }
  const { rows } = await pool.query<{ identifier: string }>("SELECT identifier FROM graphile_worker._private_tasks ORDER BY identifier");
  expect(rows.map((row) => row.identifier)).toEqual(expect.arrayContaining(["rollouts:evaluate", "webhooks:deliver", "events:follow-up"]));
  const queued = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM graphile_worker.jobs");
  expect(queued.rows[0]?.n).toBe(2);
});

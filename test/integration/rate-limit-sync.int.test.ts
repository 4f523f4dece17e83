// The agent API's rate limit across processes, one reconciliation at a time (server/data/rate-limits.ts):
// two limiters with their own process ids reconcile through a real PostgreSQL, as two app processes
// do every 250 ms. What one admitted, the other deducts, once; and when the database stops, each
// goes on limiting on its own, says so once, and picks up again when the database is back.
// (Two real app processes: rate-limit-processes.int.test.ts.)
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { pruneRateLimitWindows, RateLimitSync } from "../../server/data/rate-limits";
import { applyMigrations } from "../../server/db/migrate";
import { SharedRateLimiter } from "../../server/domain/telemetry/rate-limit";
import { ScratchDatabase } from "./harness/scratch-database";
import { databaseUrl } from "./helpers";

const CONFIG = { ratePerSecond: 0.1, burst: 4 };
const pools: pg.Pool[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.end().catch(() => {});
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

function poolOn(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2_000 });
  pool.on("error", () => {});
  pools.push(pool);
  return pool;
}

interface Logged {
  level: "warn" | "info";
  message: string;
}

function processOn(pool: () => pg.Pool, logged: Logged[] = []): RateLimitSync {
  return new RateLimitSync({
    limiter: new SharedRateLimiter(CONFIG),
    pool,
    // Driven by hand here: no timer.
    intervalMs: 3_600_000,
    log: { warn: (message) => logged.push({ level: "warn", message }), info: (message) => logged.push({ level: "info", message }) },
  });
}

const admitted = (sync: RateLimitSync, keyId: string, orgId: string, times: number) => Array.from({ length: times }, () => sync.take(keyId, orgId).allowed).filter(Boolean).length;

describe("reconciling rate limits through PostgreSQL", () => {
  test("what one process admitted, the other deducts, once however often it reads", async () => {
    const pool = poolOn(databaseUrl);
    const [one, two] = [processOn(() => pool), processOn(() => pool)];
    const [orgId, keyId, otherKey] = [randomUUID(), randomUUID(), randomUUID()];

    expect(admitted(one, keyId, orgId, 3)).toBe(3);
    await one.syncOnce(); // publishes 3
    await two.syncOnce(); // reads 3: one token left here
    await two.syncOnce(); // reads the same 3 again: still one token
    expect(admitted(two, keyId, orgId, 5)).toBe(1);
    const refused = two.take(keyId, orgId);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // And the other way round: the one two admitted reaches one.
    await two.syncOnce();
    await one.syncOnce();
    expect(one.take(keyId, orgId).allowed).toBe(false);
    // Another key is its own: untouched.
    expect(admitted(two, otherKey, orgId, 4)).toBe(4);

    // Rows older than a minute are deleted; these are not.
    await pruneRateLimitWindows(pool);
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM rate_limit_windows WHERE key_id = $1", [keyId]);
    expect(Number(rows[0]?.n)).toBe(2);
  });

  test("the database stops: each process limits on its own (one log line), and reconciles again when it is back", { timeout: 60_000 }, async () => {
    const database = await ScratchDatabase.create("agentry-rate-limit-db-");
    cleanups.push(() => database.remove());
    await applyMigrations(database.url, { jobQueue: false });
    const pool = poolOn(database.url);
    const logged: Logged[] = [];
    const [one, two] = [processOn(() => pool, logged), processOn(() => pool)];
    const [orgId, keyId] = [randomUUID(), randomUUID()];

    await database.stop();
    expect(admitted(one, keyId, orgId, 3)).toBe(3);
    await one.syncOnce(); // fails: nothing thrown, the request path never waits on it
    await one.syncOnce();
    await two.syncOnce();
    expect(logged).toEqual([{ level: "warn", message: expect.stringContaining("each process limits on its own") }]);
    // Fail open, not fail wide open: the local bucket still holds.
    expect(admitted(one, keyId, orgId, 5)).toBe(1);
    expect(admitted(two, keyId, orgId, 5)).toBe(4); // two never heard of one's requests

    await database.start();
    await one.syncOnce(); // publishes the counts it kept while the database was away
    await two.syncOnce();
    expect(logged.at(-1)).toEqual({ level: "info", message: expect.stringContaining("again") });
    expect(two.take(keyId, orgId).allowed).toBe(false);
  });
});

// The readiness check, GET /api/v1/health: 200 over real HTTP while the database answers; the
// database check says "unreachable" while a real PostgreSQL is stopped and "ok" once it is back,
// and "timeout" for a peer that accepts the connection and never answers; 503 once the process has
// begun to shut down. Many checks at once share one database check.
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { healthResponseSchema } from "../../server/agent-api/schemas";
import { readiness } from "../../server/agent-api/health";
import { checkDatabase } from "../../server/data/database-check";
import { beginShutdown } from "../../server/runtime/shutdown";
import { agentApiUrl } from "./agent-api";
import { ScratchDatabase } from "./harness/scratch-database";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

function poolOn(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  cleanups.push(() => pool.end());
  return pool;
}

describe("GET /api/v1/health", () => {
  test("answers 200 with the database's latency, uncached, to anyone; other methods are refused", async () => {
    const base = await agentApiUrl();
    const answer = await fetch(`${base}/api/v1/health`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const body = healthResponseSchema.parse(await answer.json());
    expect(body).toEqual({ status: "ok", database: { status: "ok", latencyMs: expect.any(Number) }, shuttingDown: false });
    const posted = await fetch(`${base}/api/v1/health`, { method: "POST" });
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET");
  });

  test("a flood of checks shares one database check a second: 100 at once answer alike", async () => {
    const base = await agentApiUrl();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the check shared with the test before
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => fetch(`${base}/api/v1/health`).then(async (answer) => ({ status: answer.status, body: healthResponseSchema.parse(await answer.json()) }))),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    // Each check measures its own latency: one value means one check.
    expect(new Set(answers.map((answer) => answer.body.database.latencyMs)).size).toBe(1);
  });

  test("a stopped database is reported unreachable, and ok again once it is back", { timeout: 60_000 }, async () => {
    const database = await ScratchDatabase.create("agentry-health-db-");
    cleanups.push(() => database.remove());
    const pool = poolOn(database.url);
    expect(await checkDatabase(pool)).toEqual({ status: "ok", latencyMs: expect.any(Number) });
    await database.stop();
    expect(await checkDatabase(pool)).toEqual({ status: "unreachable" });
    await database.start();
    expect(await checkDatabase(pool)).toEqual({ status: "ok", latencyMs: expect.any(Number) });
  });

  test("a database that takes the connection and never answers is reported as a timeout, within the limit", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const pool = poolOn(`postgresql://nobody:nothing@127.0.0.1:${(silent.address() as AddressInfo).port}/none`);
    // Cleanups run last first: the peer hangs up before the pool ends, or the pool would wait for it.
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const started = performance.now();
    expect(await checkDatabase(pool, 300)).toEqual({ status: "timeout" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test("once the process begins to shut down it answers 503, so a load balancer drains it", async () => {
    await readiness(); // the shutdown mark exists from here on
    const state = (globalThis as unknown as { agentryShutdownOrder: { started: boolean } }).agentryShutdownOrder;
    try {
      beginShutdown();
      expect(await readiness()).toEqual({ status: 503, body: { status: "unavailable", database: { status: "ok", latencyMs: expect.any(Number) }, shuttingDown: true } });
    } finally {
      // This test process goes on (and stops a scratch database after it): only a real shutdown keeps the mark.
      state.started = false;
    }
  });
});

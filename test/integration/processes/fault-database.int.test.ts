// The database stops in the middle of a stream of SDK event batches and comes back: nothing is
// lost and nothing is counted twice. Once with an external DATABASE_URL (a PostgreSQL this test
// owns, stopped and started again on its port), once with the app's own embedded PostgreSQL,
// killed, which its supervisor starts again while the app keeps running.
import { afterAll, describe, expect, test } from "vitest";
import { createDb } from "../../../server/db";
import { applyMigrations } from "../../../server/db/migrate";
import { startApp } from "../harness/app-process";
import { ScratchDatabase } from "../harness/scratch-database";
import { createConsoleUser, signIn, trpcQuery } from "../harness/console-session";
import { createStreamAgent, expectExactlyOnce, streamWithFault, type StreamAgent } from "../harness/event-stream";
import { createTestOrg } from "../helpers";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const STREAM = { batches: 60, batchSize: 20, everyMs: 100, faultAt: 15, retry: { retries: 100, baseDelayMs: 100, maxDelayMs: 1_000 } };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function agentIn(databaseUrl: string): Promise<StreamAgent & { owner: { email: string; password: string } }> {
  const db = createDb(databaseUrl, 2);
  try {
    const org = await createTestOrg(db);
    const agent = await createStreamAgent(db, org.id, org.leadTeamId);
    return { ...agent, owner: await createConsoleUser(db, org.id, "owner") };
  } finally {
    // Not held across the outage: the test's own checks open fresh connections.
    await db.$disconnect();
  }
}

describe("the database stops mid-stream", () => {
  test("external DATABASE_URL: stopped for 2 s and started again; every event once, spend and rollups exact", { timeout: 180_000 }, async () => {
    const database = await ScratchDatabase.create("agentry-fault-db-");
    cleanups.push(() => database.remove());
    await applyMigrations(database.url);
    const agent = await agentIn(database.url);
    const app = await startApp({ databaseUrl: database.url });

    const result = await streamWithFault({
      ...STREAM,
      baseUrl: app.url,
      apiKey: agent.apiKey,
      fault: async () => {
        await database.stop();
        await sleep(2_000);
        await database.start();
      },
    });

    // The outage was felt (requests failed and were retried), and nothing was given up or refused.
    expect(result.stats.retries, result.errors.join("\n")).toBeGreaterThan(0);
    expect({ failed: result.stats.failed, dropped: result.stats.dropped, rejected: result.stats.rejected, errors: result.errors }).toEqual({ failed: 0, dropped: 0, rejected: 0, errors: [] });
    expect(result.stats.accepted + result.stats.duplicates).toBe(result.sent.length);
    await expectExactlyOnce(database.url, agent.agentId, result.sent);
    expect(app.running, app.runOutput.slice(-3000)).toBe(true);
  });

  test("embedded: its PostgreSQL killed with SIGKILL is restarted by the app itself; every event once, spend and rollups exact", { timeout: 180_000 }, async () => {
    const app = await startApp();
    const databaseUrl = app.embeddedDatabaseUrl();
    const agent = await agentIn(databaseUrl);
    const appPid = app.pid;
    let killed = 0;
    // The console reads through Prisma's own pool: it must come back too.
    const cookie = await signIn(app.url, agent.owner.email, agent.owner.password);
    const listSwitches = () => trpcQuery(app.url, cookie, "killSwitches.list", { orgId: agent.orgId });
    expect((await listSwitches()).status).toBe(200);

    const result = await streamWithFault({
      ...STREAM,
      baseUrl: app.url,
      apiKey: agent.apiKey,
      fault: async () => {
        killed = app.databasePid() ?? 0;
        process.kill(killed, "SIGKILL");
        await app.waitForOutput(/The embedded PostgreSQL is running again/, { timeoutMs: 60_000 });
      },
    });

    expect(app.runOutput).toContain(`The embedded PostgreSQL (pid ${killed}) stopped unexpectedly (killed by SIGKILL); restarting it.`);
    // The same app process served before and after: no person and no process manager was needed.
    expect(app.pid).toBe(appPid);
    expect(app.databasePid()).not.toBe(killed);
    expect(result.stats.retries, result.errors.join("\n")).toBeGreaterThan(0);
    expect({ failed: result.stats.failed, dropped: result.stats.dropped, rejected: result.stats.rejected, errors: result.errors }).toEqual({ failed: 0, dropped: 0, rejected: 0, errors: [] });
    await expectExactlyOnce(databaseUrl, agent.agentId, result.sent);
    expect(await listSwitches()).toMatchObject({ status: 200 });
  });
});

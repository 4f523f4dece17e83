// The app process is killed (SIGKILL: no shutdown, requests cut off mid-flight, possibly after
// their commit) in the middle of a stream of SDK event batches, and started again: the SDK's
// retries carry the same ids, so every event is stored exactly once, spend is exactly the sum,
// rollups equal the events. Once on the run's database (DATABASE_URL), once on the app's own
// embedded PostgreSQL, which the killed app leaves orphaned and the restarted app must take over.
import { describe, expect, test } from "vitest";
import { createDb } from "../../../server/db";
import { startApp, type AppProcess } from "../harness/app-process";
import { createStreamAgent, expectExactlyOnce, streamWithFault } from "../harness/event-stream";
import { createTestOrg, databaseUrl, testDb } from "../helpers";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
// The app needs seconds to start again: the client is given the retries to outlast that.
const STREAM = { batches: 60, batchSize: 20, everyMs: 100, faultAt: 15, retry: { retries: 200, baseDelayMs: 100, maxDelayMs: 1_000 } };

async function killAndRestart(app: AppProcess): Promise<void> {
  const exit = await app.kill("SIGKILL");
  expect(exit.signal).toBe("SIGKILL");
  await sleep(500);
  await app.start();
}

describe("the app is killed mid-stream and started again", () => {
  test("on DATABASE_URL: every event once, spend and rollups exact", { timeout: 240_000 }, async () => {
    const org = await createTestOrg();
    const agent = await createStreamAgent(testDb(), org.id, org.leadTeamId);
    const app = await startApp({ databaseUrl });
    const firstPid = app.pid;

    const result = await streamWithFault({ ...STREAM, baseUrl: app.url, apiKey: agent.apiKey, fault: () => killAndRestart(app) });

    expect(app.pid).not.toBe(firstPid);
    expect(result.stats.retries, result.errors.join("\n")).toBeGreaterThan(0);
    expect({ failed: result.stats.failed, dropped: result.stats.dropped, rejected: result.stats.rejected, errors: result.errors }).toEqual({ failed: 0, dropped: 0, rejected: 0, errors: [] });
    await expectExactlyOnce(databaseUrl, agent.agentId, result.sent);
  });

  test("on its embedded PostgreSQL: the orphan is stopped at restart; every event once, spend and rollups exact", { timeout: 240_000 }, async () => {
    const app = await startApp();
    const embeddedUrl = app.embeddedDatabaseUrl();
    const db = createDb(embeddedUrl, 2);
    const org = await createTestOrg(db);
    const agent = await createStreamAgent(db, org.id, org.leadTeamId);
    await db.$disconnect();
    let orphan = 0;

    const result = await streamWithFault({
      ...STREAM,
      baseUrl: app.url,
      apiKey: agent.apiKey,
      fault: async () => {
        await app.kill("SIGKILL");
        orphan = app.databasePid() ?? 0;
        expect(orphan, "the killed app left its PostgreSQL running").toBeGreaterThan(0);
        await sleep(500);
        await app.start();
      },
    });

    expect(app.runOutput).toMatch(new RegExp(`Stopped PostgreSQL pid ${orphan} \\(port \\d+\\), left running in .* by an earlier run \\(fast shutdown`));
    expect({ failed: result.stats.failed, dropped: result.stats.dropped, rejected: result.stats.rejected, errors: result.errors }).toEqual({ failed: 0, dropped: 0, rejected: 0, errors: [] });
    // The restarted app's server listens on a new port.
    await expectExactlyOnce(app.embeddedDatabaseUrl(), agent.agentId, result.sent);
  });
});

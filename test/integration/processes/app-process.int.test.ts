// The app-process harness itself: two apps on one database at once (as the two-process tests
// use them), and `npm start`'s process reporting a start that cannot succeed: a clear reason and
// a non-zero exit, never "undefined".
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { startEmbeddedPostgres } from "../../../server/db/embedded";
import { startApp, startApps } from "../harness/app-process";
import { createStreamAgent } from "../harness/event-stream";
import { createTestOrg, databaseUrl, testDb } from "../helpers";

describe("app processes", () => {
  test("two apps start together on one DATABASE_URL and serve the same data", { timeout: 180_000 }, async () => {
    const org = await createTestOrg();
    const agent = await createStreamAgent(testDb(), org.id, org.leadTeamId);
    const apps = await startApps(2, { databaseUrl });
    expect(new Set(apps.map((app) => app.port)).size).toBe(2);

    for (const [index, app] of apps.entries()) {
      const response = await fetch(`${app.url}/api/v1/heartbeat`, {
        method: "POST",
        headers: { authorization: `Bearer ${agent.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ instanceId: `instance-${index}` }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    // Both heartbeats landed in the one database.
    const instances = await testDb().agentInstance.findMany({ where: { agentId: agent.agentId }, select: { instanceId: true }, orderBy: { instanceId: "asc" } });
    expect(instances.map((instance) => instance.instanceId)).toEqual(["instance-0", "instance-1"]);
    await Promise.all(apps.map((app) => app.stop()));
    expect(apps.every((app) => !app.running)).toBe(true);
  });

  test("a start that cannot succeed exits with code 1 and says why, in PostgreSQL's words and ours", { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "agentry-bad-start-"));
    chmodSync(dataDir, 0o755);
    try {
      const cluster = await startEmbeddedPostgres({ dir: join(dataDir, "pg"), password: randomBytes(18).toString("base64url") });
      await cluster.stop();
      // PostgreSQL refuses a data folder others may read.
      chmodSync(join(dataDir, "pg"), 0o777);

      const failure = await startApp({ dataDir }).then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toContain("exited while starting (code 1, signal null)");
      const output = failure?.message ?? "";
      expect(output).toContain(`[agentry] Agentry could not start. The embedded PostgreSQL in ${join(dataDir, "pg")} did not start: the data folder has the wrong permissions.`);
      expect(output).toContain("has invalid permissions");
      expect(output).toContain(`Hint: PostgreSQL needs ${join(dataDir, "pg")} to be readable only by its owner`);
      expect(output).not.toMatch(/\bundefined\b/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

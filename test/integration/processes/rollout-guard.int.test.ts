// A running app judges rollouts by itself: nobody calls the evaluator, the job queue does, every
// ten seconds. A candidate failing its error-rate guard is rolled back by the app within one
// evaluation period, with its incident opened, and the chain of evaluations carries on.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getPool } from "../../../server/db/pool";
import { ROLLOUT_EVALUATION_INTERVAL_MS, ROLLOUT_EVALUATION_KEY } from "../../../server/jobs/tasks";
import { startApp, type AppProcess } from "../harness/app-process";
import { createTestOrg, databaseUrl, testDb, type TestOrg } from "../helpers";
import { agentWithVersions, startRollout, stages, traffic } from "../rollout-fixtures";

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("rollout guards in a running app", () => {
  let org: TestOrg;
  let app: AppProcess;
  beforeAll(async () => {
    org = await createTestOrg();
    await testDb().model.create({ data: { orgId: org.id, provider: "openai", name: "gpt-test", inputMicrosPerMTok: 1_000_000n, outputMicrosPerMTok: 4_000_000n, qualityTier: 3 } });
    app = await startApp({ databaseUrl });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
  });

  test("a breaching candidate is rolled back by the app's own evaluation, and an incident opened", { timeout: 90_000 }, async () => {
    const setup = await agentWithVersions(org, "judged-by-the-app");
    const { id } = await startRollout(org, setup, { stages: stages([50, 40], [100, 0]) });
    await traffic(org, setup, "stable", 200, 0.03);
    await traffic(org, setup, "candidate", 80, 0.6);

    const started = Date.now();
    const rollout = await until(
      () => testDb().rollout.findUniqueOrThrow({ where: { id } }),
      (row) => row.status !== "running",
      ROLLOUT_EVALUATION_INTERVAL_MS * 3,
    );
    expect(rollout.status).toBe("rolled_back");
    // Within one evaluation period (and a little for the queue to pick it up).
    expect(Date.now() - started).toBeLessThan(ROLLOUT_EVALUATION_INTERVAL_MS + 5_000);
    expect(rollout.endedReason).toMatch(/Error rate breached/);
    expect(await testDb().incident.count({ where: { orgId: org.id, source: "rollback", sourceRef: id } })).toBe(1);

    // The next evaluation is already queued: one waiting job, about one period away.
    const { rows } = await getPool().query<{ run_at: Date }>("SELECT run_at FROM graphile_worker.jobs WHERE key = $1 AND locked_at IS NULL", [ROLLOUT_EVALUATION_KEY]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.run_at.getTime()).toBeGreaterThan(Date.now() - 1_000);
    expect(rows[0]?.run_at.getTime()).toBeLessThanOrEqual(Date.now() + ROLLOUT_EVALUATION_INTERVAL_MS);
  });
});

// Work registered on a console write's transaction runs once it committed, never after a rollback;
// and what it is for: the process that made a change reads it on its very next request.
import { expect, test } from "vitest";
import { afterCommit, transaction } from "../../server/db/after-commit";
import { callerFor, createTestOrg, testDb } from "./helpers";

test("after-commit work runs once the transaction committed, in order, and sees the committed row", async () => {
  const org = await createTestOrg();
  const seen: string[] = [];
  const name = `after-commit-${Date.now()}`;
  await transaction(testDb(), async (tx) => {
    await tx.team.create({ data: { orgId: org.id, name } });
    afterCommit(tx, () => seen.push("first"));
    afterCommit(tx, () => seen.push("second"));
    seen.push("work done");
  });
  expect(seen).toEqual(["work done", "first", "second"]);
  expect(await testDb().team.count({ where: { orgId: org.id, name } })).toBe(1);
});

test("after a rollback the registered work never runs, and nothing was written", async () => {
  const org = await createTestOrg();
  const seen: string[] = [];
  const name = `rolled-back-${Date.now()}`;
  await expect(
    transaction(testDb(), async (tx) => {
      await tx.team.create({ data: { orgId: org.id, name } });
      afterCommit(tx, () => seen.push("should not run"));
      throw new Error("the write is refused");
    }),
  ).rejects.toThrow("the write is refused");
  expect(seen).toEqual([]);
  expect(await testDb().team.count({ where: { orgId: org.id, name } })).toBe(0);
});

test("a transaction not started by transaction() cannot take after-commit work (it would never run)", async () => {
  await expect(testDb().$transaction(async (tx) => afterCommit(tx, () => {}))).rejects.toThrow(/not started by transaction\(\)/);
});

test("a routing rule changed in the console is routed by its very next read in this process", async () => {
  const org = await createTestOrg();
  const admin = callerFor(org.users.admin.userId);
  // Warm this process's facts of the org, so a stale copy would be there to serve.
  expect(await admin.routing.overview({ orgId: org.id })).toEqual([]);
  await admin.models.upsert({ orgId: org.id, provider: "acme", name: "acme-large", inputUsdPerMTok: "1.00", outputUsdPerMTok: "2.00", qualityTier: 4, contextWindow: null, status: "active" });
  await admin.routing.upsertRule({ orgId: org.id, taskType: "summarise", minQuality: 3, allowedProviders: [], fallbackChain: [] });
  const overview = await admin.routing.overview({ orgId: org.id });
  expect(overview.map((rule) => ({ taskType: rule.taskType, routesTo: rule.routesTo?.name ?? null }))).toEqual([{ taskType: "summarise", routesTo: "acme-large" }]);
});

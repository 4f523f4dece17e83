// Rollouts against a real database, with traffic stored through the real ingest path: a bad
// candidate rolled back by its guard alone, a good one advancing stage by stage to 100 %, a person
// promoting (with a second approval before 100 %), the refusals that change nothing, and the
// evaluator run by two processes at once acting once.
import { beforeAll, describe, expect, test } from "vitest";
import { evaluateRollouts } from "../../server/data/rollouts";
import { loadVersionFacts } from "../../server/data/version-facts";
import { getPool } from "../../server/db/pool";
import { versionForUnit } from "../../server/domain/rollout/assign";
import type { GuardConfig } from "../../server/domain/rollout/schemas";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";
import { agentWithVersions, ledger, startRollout, stages, traffic, ERROR_GUARD } from "./rollout-fixtures";

/** This rollout's outcome of one evaluation pass (other tests' rollouts in the org are passed by). */
async function evaluate(org: TestOrg, rolloutId: string) {
  return (await evaluateRollouts(new Date(), { orgId: org.id })).filter((outcome) => outcome.rolloutId === rolloutId);
}

describe("rollouts", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg();
    await testDb().model.create({ data: { orgId: org.id, provider: "openai", name: "gpt-test", inputMicrosPerMTok: 1_000_000n, outputMicrosPerMTok: 4_000_000n, qualityTier: 3 } });
  });

  test("a worse candidate is rolled back by its guard alone: audited, alerted, directives bumped", async () => {
    const setup = await agentWithVersions(org, "bad-candidate");
    const { id } = await startRollout(org, setup, { stages: stages([50, 40], [100, 0]) });
    const revision = async () => (await testDb().directiveRevision.findUnique({ where: { orgId: org.id } }))?.revision ?? 0;

    await traffic(org, setup, "stable", 200, 0.03);
    await traffic(org, setup, "candidate", 25, 0.6);
    // Too little evidence yet: nothing happens.
    expect(await evaluate(org, id)).toEqual([expect.objectContaining({ rolloutId: id, action: "none" })]);

    await traffic(org, setup, "candidate", 60, 0.6);
    const before = await revision();
    const outcomes = await evaluate(org, id);
    expect(outcomes).toEqual([expect.objectContaining({ rolloutId: id, decision: "breach", action: "rolled_back" })]);

    const rollout = await testDb().rollout.findUniqueOrThrow({ where: { id } });
    expect(rollout).toMatchObject({ status: "rolled_back", activeFor: null });
    expect(rollout.endedReason).toMatch(/Error rate breached/);
    expect(await revision()).toBe(before + 1);
    const audit = await testDb().auditEntry.findFirst({ where: { orgId: org.id, action: "rollout.rolled_back", targetId: id } });
    expect(audit).toMatchObject({ actorType: "system", actorLabel: "system (rollout guards)" });
    const alert = await testDb().alert.findFirst({ where: { orgId: org.id, kind: "rollout", agentId: setup.agentId } });
    expect(alert).toMatchObject({ severity: "critical", title: "Rollout of 1.1.0 rolled back: error rate breached" });
    expect((await ledger(org, setup.agentId)).map((event) => event.kind)).toEqual(["rollout_started", "rolled_back"]);
    // A rollback is an incident to follow up, opened with it and audited.
    const incident = await testDb().incident.findFirst({ where: { orgId: org.id, source: "rollback", sourceRef: id } });
    expect(incident).toMatchObject({ agentId: setup.agentId, severity: "high", status: "open", openedBy: "system (rollout guards)", title: "Rollout of 1.1.0 rolled back: error rate breached" });
    expect(await testDb().auditEntry.count({ where: { orgId: org.id, action: "incident.opened", targetId: incident?.id } })).toBe(1);
    // Every instance is back on the stable version.
    const facts = (await loadVersionFacts(getPool(), org.id)).get(setup.agentId);
    expect(facts?.rollout).toBeNull();
    expect(versionForUnit(facts, "1.1.0-instance-3")?.label).toBe("1.0.0");
  });

  test("a good candidate advances stage by stage with fresh evidence in each, and becomes stable at 100 %", async () => {
    const setup = await agentWithVersions(org, "good-candidate");
    const guards: GuardConfig[] = [...ERROR_GUARD, { metric: "cost_per_task", thresholdPercent: 25, enabled: true }, { metric: "latency_p95", thresholdPercent: 25, enabled: true }];
    const { id } = await startRollout(org, setup, { stages: stages([20, 40], [60, 40], [100, 0]), guards, onBreach: "pause" });
    await traffic(org, setup, "stable", 300, 0.03);
    await traffic(org, setup, "candidate", 60, 0.03);
    expect(await evaluate(org, id)).toEqual([expect.objectContaining({ rolloutId: id, decision: "advance", action: "advanced" })]);
    const advanced = await testDb().rollout.findUniqueOrThrow({ where: { id } });
    expect(advanced.stageIndex).toBe(1);

    // The new stage starts from zero samples: no advance on the old evidence.
    expect(await evaluate(org, id)).toEqual([expect.objectContaining({ decision: "none", action: "none" })]);
    const waiting = await testDb().rollout.findUniqueOrThrow({ where: { id } });
    const evaluation = waiting.lastEvaluation as { guards: { state: string; explanation: string }[] };
    expect(evaluation.guards.map((guard) => guard.state)).toEqual(["insufficient", "insufficient", "insufficient"]);
    expect(evaluation.guards[0]?.explanation).toMatch(/^Insufficient evidence: the candidate has 0 of the 40 tasks this stage needs/);

    // Both versions keep working (a stage with traffic on one side only is a sample ratio mismatch).
    await traffic(org, setup, "stable", 60, 0.03);
    await traffic(org, setup, "candidate", 60, 0.03);
    expect(await evaluate(org, id)).toEqual([expect.objectContaining({ decision: "complete", action: "completed" })]);
    const done = await testDb().rollout.findUniqueOrThrow({ where: { id } });
    expect(done).toMatchObject({ status: "completed", activeFor: null, stageIndex: 2 });
    const stable = await testDb().agentVersion.findFirstOrThrow({ where: { stableFor: setup.agentId } });
    expect(stable.label).toBe("1.1.0");
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: setup.agentId } })).version).toBe("1.1.0");
    const kinds = (await ledger(org, setup.agentId)).map((event) => [event.kind, event.fromPercent, event.toPercent]);
    expect(kinds).toEqual([
      ["rollout_started", 0, 20],
      ["stage_advanced", 20, 60],
      ["completed", 60, 100],
    ]);
  });

  test("a person promotes when asked to, and going to 100 % takes a second person's approval", async () => {
    const setup = await agentWithVersions(org, "manual-promotion");
    const { id } = await startRollout(org, setup, { stages: stages([30, 30], [100, 0]), autoAdvance: false, requireApproval: true });
    await traffic(org, setup, "stable", 200, 0.02);
    await traffic(org, setup, "candidate", 50, 0.02);
    await evaluate(org, id);
    await evaluate(org, id);
    // Said once on the timeline, however often it is looked at.
    expect((await ledger(org, setup.agentId)).filter((event) => event.kind === "awaiting_approval")).toHaveLength(1);
    expect((await testDb().rollout.findUniqueOrThrow({ where: { id } })).stageIndex).toBe(0);

    const lead = callerFor(org.users.team_lead.userId);
    const owner = callerFor(org.users.owner.userId);
    expect(await errorCode(lead.rollouts.promote({ orgId: org.id, rolloutId: id, reason: "looks fine" }))).toBe("BAD_REQUEST");
    // The person who started it cannot be the second approval.
    await expect(lead.rollouts.approve({ orgId: org.id, rolloutId: id, reason: "me again" })).rejects.toThrow(/someone other than the person who started/);
    await owner.rollouts.approve({ orgId: org.id, rolloutId: id, reason: "reviewed the guards" });
    await lead.rollouts.promote({ orgId: org.id, rolloutId: id, reason: "approved, going to 100 %" });
    expect(await testDb().rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "completed" });
    // Past 100 % there is nothing.
    await expect(lead.rollouts.promote({ orgId: org.id, rolloutId: id, reason: "more" })).rejects.toThrow(/no stage past 100 %/);
  });

  test("a breach with 'pause' holds the candidate where it is until a person resumes or rolls back", async () => {
    const setup = await agentWithVersions(org, "pause-on-breach");
    const { id } = await startRollout(org, setup, { stages: stages([50, 40], [100, 0]), onBreach: "pause" });
    await traffic(org, setup, "stable", 200, 0.03);
    await traffic(org, setup, "candidate", 80, 0.55);
    expect(await evaluate(org, id)).toEqual([expect.objectContaining({ action: "paused" })]);
    const paused = await testDb().rollout.findUniqueOrThrow({ where: { id } });
    expect(paused).toMatchObject({ status: "paused", activeFor: setup.agentId });
    // Paused keeps the candidate's share (and nothing is evaluated into action).
    expect((await loadVersionFacts(getPool(), org.id)).get(setup.agentId)?.rollout?.percent).toBe(50);
    expect(await evaluate(org, id)).toEqual([]); // paused: not evaluated into action
    await callerFor(org.users.owner.userId).rollouts.rollback({ orgId: org.id, rolloutId: id, reason: "confirmed: 1.1.0 fails on printers" });
    expect((await testDb().rollout.findUniqueOrThrow({ where: { id } })).status).toBe("rolled_back");
    const incident = await testDb().incident.findFirst({ where: { orgId: org.id, source: "rollback", sourceRef: id } });
    expect(incident).toMatchObject({ severity: "medium", description: "confirmed: 1.1.0 fails on printers", title: "Rollout of 1.1.0 rolled back" });
  });

  test("two evaluators at once act on a rollout once", async () => {
    const setup = await agentWithVersions(org, "two-evaluators");
    const { id } = await startRollout(org, setup, { stages: stages([50, 40], [100, 0]) });
    await traffic(org, setup, "stable", 200, 0.03);
    await traffic(org, setup, "candidate", 80, 0.6);
    const [first, second] = await Promise.all([evaluateRollouts(new Date(), { orgId: org.id }), evaluateRollouts(new Date(), { orgId: org.id })]);
    const acted = [...first, ...second].filter((outcome) => outcome.rolloutId === id && outcome.action === "rolled_back");
    expect(acted).toHaveLength(1);
    expect((await ledger(org, setup.agentId)).filter((event) => event.kind === "rolled_back")).toHaveLength(1);
  });

  describe("bad input is refused with a clear message, and changes nothing", () => {
    async function unchanged(call: () => Promise<unknown>) {
      const before = await testDb().auditEntry.count({ where: { orgId: org.id } });
      const rollouts = await testDb().rollout.count({ where: { orgId: org.id } });
      const error = await call().then(
        () => null,
        (caught: unknown) => caught as Error & { code?: string },
      );
      expect(await testDb().auditEntry.count({ where: { orgId: org.id } })).toBe(before);
      expect(await testDb().rollout.count({ where: { orgId: org.id } })).toBe(rollouts);
      return error;
    }

    test("a second running rollout for the same agent", async () => {
      const setup = await agentWithVersions(org, "second-rollout");
      await startRollout(org, setup, { stages: stages([10, 10], [100, 0]) });
      const third = await testDb().agentVersion.create({ data: { orgId: org.id, agentId: setup.agentId, label: "1.2.0", systemPrompt: "Other.", status: "released", createdBy: "setup" } });
      const error = await unchanged(() => startRollout(org, { ...setup, candidateId: third.id }, { stages: stages([10, 10], [100, 0]) }));
      expect(error?.message).toBe("A rollout to 1.1.0 is already running for this agent: finish it, roll it back, or wait before starting another.");
      expect(error?.code).toBe("CONFLICT");
    });

    test("a candidate identical to stable, and a retired candidate", async () => {
      const setup = await agentWithVersions(org, "identical-candidate");
      const twin = await testDb().agentVersion.create({
        data: { orgId: org.id, agentId: setup.agentId, label: "1.0.1", model: "gpt-test", systemPrompt: "Route tickets.", status: "released", createdBy: "setup" },
      });
      const identical = await unchanged(() => startRollout(org, { ...setup, candidateId: twin.id }, { stages: stages([10, 10], [100, 0]) }));
      expect(identical?.message).toMatch(/identical to the stable version 1\.0\.0/);
      const old = await testDb().agentVersion.create({ data: { orgId: org.id, agentId: setup.agentId, label: "0.9.0", systemPrompt: "Old.", status: "released", createdBy: "setup" } });
      await testDb().agentVersion.update({ where: { id: old.id }, data: { status: "retired" } });
      const retired = await unchanged(() => startRollout(org, { ...setup, candidateId: old.id }, { stages: stages([10, 10], [100, 0]) }));
      expect(retired?.message).toBe("Version 0.9.0 is retired and cannot be rolled out.");
    });

    test("a stage past 100 %", async () => {
      const setup = await agentWithVersions(org, "past-hundred");
      const error = await unchanged(() =>
        startRollout(org, setup, {
          stages: [
            { percent: 10, minDwellMinutes: 0, minSamples: 0 },
            { percent: 150, minDwellMinutes: 0, minSamples: 0 },
          ],
        }),
      );
      expect(error?.code).toBe("BAD_REQUEST");
      expect(error?.message).toMatch(/at most 100 %/);
    });
  });
});

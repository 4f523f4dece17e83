// Agent versions through the console's API against a real database: drafts, releases (the first
// becomes stable), immutability (the router refuses, and so does the database), deprecation,
// retirement, reverting from the ledger, and the facts the decision path loads.
import { beforeAll, describe, expect, test } from "vitest";
import { loadVersionFacts } from "../../server/data/version-facts";
import { getPool } from "../../server/db/pool";
import { versionForUnit } from "../../server/domain/rollout/assign";
import { versionVerdict } from "../../server/domain/rollout/verdict";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

const fields = (label: string, prompt: string) => ({ label, model: "gpt-5-nano", systemPrompt: prompt, tools: ["ticket_read", "ticket_assign"], config: { temperature: 0 }, notes: "" });

async function headSeq(orgId: string): Promise<number> {
  const head = await testDb().auditEntry.findFirst({ where: { orgId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return head?.seq ?? 0;
}

async function revision(orgId: string): Promise<number> {
  return (await testDb().directiveRevision.findUnique({ where: { orgId } }))?.revision ?? 0;
}

/** Runs a call that must be refused: the code and message it fails with, and proof nothing was written. */
async function refused(org: TestOrg, call: () => Promise<unknown>): Promise<{ code: string | null; message: string }> {
  const before = await headSeq(org.id);
  const ledgerBefore = await testDb().releaseEvent.count({ where: { orgId: org.id } });
  let message = "";
  const code = await errorCode(
    call().catch((error: unknown) => {
      message = (error as Error).message;
      throw error;
    }),
  );
  expect(await headSeq(org.id)).toBe(before);
  expect(await testDb().releaseEvent.count({ where: { orgId: org.id } })).toBe(ledgerBefore);
  return { code, message };
}

describe("versions", () => {
  let org: TestOrg;
  let agentId: string;
  const owner = () => callerFor(org.users.owner.userId);

  beforeAll(async () => {
    org = await createTestOrg();
    agentId = (await testDb().agent.create({ data: { orgId: org.id, name: "ticket-router", teamId: org.leadTeamId, version: "0.9" } })).id;
  });

  test("a draft is edited, released (becoming the stable version), and then immutable", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const created = await lead.versions.create({ orgId: org.id, agentId, ...fields("2.1.0", "Route IT tickets.") });
    await lead.versions.update({ orgId: org.id, versionId: created.id, fields: fields("2.1.0", "Route IT tickets.\nPick one queue.") });
    const revisionBefore = await revision(org.id);
    const released = await lead.versions.release({ orgId: org.id, versionId: created.id, reason: "first release" });
    expect(released).toMatchObject({ status: "released", becameStable: true });
    // Instances hear of it: a new directives revision.
    expect(await revision(org.id)).toBe(revisionBefore + 1);
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agentId } })).version).toBe("2.1.0");

    const editing = await refused(org, () => lead.versions.update({ orgId: org.id, versionId: created.id, fields: fields("2.1.0", "Sneaky change.") }));
    expect(editing.code).toBe("BAD_REQUEST");
    expect(editing.message).toMatch(/released versions are immutable/);
    // The database refuses too, whoever asks.
    await expect(testDb().agentVersion.update({ where: { id: created.id }, data: { systemPrompt: "Sneakier change." } })).rejects.toThrow(/immutable/);
    expect((await testDb().agentVersion.findUniqueOrThrow({ where: { id: created.id } })).systemPrompt).toBe("Route IT tickets.\nPick one queue.");

    const listed = await owner().versions.list({ orgId: org.id, agentId });
    expect(listed.versions.map((version) => [version.label, version.status, version.stable])).toEqual([["2.1.0", "released", true]]);

    const timeline = await owner().versions.timeline({ orgId: org.id, agentId });
    expect(timeline.map((event) => event.kind)).toEqual(["stable_changed", "version_released", "version_created"]);
    expect(timeline[1]).toMatchObject({ actorLabel: org.users.team_lead.email, reason: "first release", to: { label: "2.1.0" } });
  });

  test("a label is unique per agent", async () => {
    const clash = await refused(org, () => owner().versions.create({ orgId: org.id, agentId, ...fields("2.1.0", "Another.") }));
    expect(clash).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already exists/) });
  });

  test("the stable version cannot be deprecated or retired; another can, and a retired one never runs again", async () => {
    const stable = (await owner().versions.list({ orgId: org.id, agentId })).versions.find((version) => version.stable);
    if (!stable) throw new Error("no stable version");
    expect((await refused(org, () => owner().versions.deprecate({ orgId: org.id, versionId: stable.id, reason: "old" }))).message).toMatch(/stable version/);
    expect((await refused(org, () => owner().versions.retire({ orgId: org.id, versionId: stable.id, reason: "old" }))).message).toMatch(/stable version/);

    const next = await owner().versions.create({ orgId: org.id, agentId, ...fields("2.2.0", "Route IT tickets.\nPick exactly one queue.") });
    await owner().versions.release({ orgId: org.id, versionId: next.id, reason: "candidate" });
    await owner().versions.deprecate({ orgId: org.id, versionId: next.id, reason: "replaced by 2.3" });
    await owner().versions.retire({ orgId: org.id, versionId: next.id, reason: "end of life" });
    const retired = await refused(org, () => owner().versions.makeStable({ orgId: org.id, versionId: next.id, reason: "bring it back" }));
    expect(retired.message).toMatch(/retired and cannot run again/);
    await expect(testDb().agentVersion.update({ where: { id: next.id }, data: { status: "released" } })).rejects.toThrow(/cannot go from retired to released/);
  });

  test("reverting from the ledger makes an earlier version stable again", async () => {
    const older = await owner().versions.create({ orgId: org.id, agentId, ...fields("2.0.9", "Route IT tickets the old way.") });
    await owner().versions.release({ orgId: org.id, versionId: older.id, reason: "kept for a revert" });
    await owner().versions.deprecate({ orgId: org.id, versionId: older.id, reason: "superseded" });
    await owner().versions.makeStable({ orgId: org.id, versionId: older.id, reason: "2.1.0 misroutes printers" });
    const versions = (await owner().versions.list({ orgId: org.id, agentId })).versions;
    expect(versions.find((version) => version.stable)).toMatchObject({ label: "2.0.9", status: "released" });
    expect(versions.filter((version) => version.stable)).toHaveLength(1);
    const [latest] = await owner().versions.timeline({ orgId: org.id, agentId });
    expect(latest).toMatchObject({ kind: "stable_changed", from: { label: "2.1.0" }, to: { label: "2.0.9" }, reason: "2.1.0 misroutes printers" });
  });

  test("loadVersionFacts gives the decision path each agent's stable version and what its instances report", async () => {
    const facts = await loadVersionFacts(getPool(), org.id);
    const mine = facts.get(agentId);
    expect(mine?.stable?.label).toBe("2.0.9");
    expect(mine?.rollout).toBeNull();
    expect(mine?.versions.map((version) => version.status).sort()).toEqual(["released", "released", "retired"]);
    expect(versionForUnit(mine, "instance-1")?.label).toBe("2.0.9");
    // An instance still on the retired 2.2.0 is refused and told where to go.
    expect(versionVerdict(mine, "instance-1", "2.2.0")).toMatchObject({ version: { label: "2.0.9" }, refuse: { code: "retired" } });
  });
});

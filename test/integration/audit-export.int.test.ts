// The audit export against a real database: who may export, that the export records itself,
// that a team lead's export holds only their teams' entries, and that every export verifies
// offline with the same code `npm run audit:verify` runs.
import { describe, expect, test } from "vitest";
import { auditCount, callerFor, createTestOrg, createTestUser, testDb, type TestOrg } from "./helpers";
import { verifyExportLines } from "../../server/domain/audit/verify-export";
import { startAuditExport, type AuditExport } from "../../server/data/audit-export";

async function collect(result: AuditExport): Promise<{ text: string; entries: { seq: number; teamId: string | null; action: string; actorLabel: string; at: string }[] }> {
  if (result.kind !== "ok") throw new Error(`export refused: ${result.message}`);
  let text = "";
  for await (const line of result.lines) text += line;
  const entries = text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { seq: number; teamId: string | null; action: string; actorLabel: string; at: string });
  return { text, entries };
}

/** A few changes across teams, one at a time so each has its own timestamp. */
async function makeHistory(org: TestOrg): Promise<void> {
  const owner = callerFor(org.users.owner.userId);
  await owner.teams.rename({ orgId: org.id, teamId: org.leadTeamId, name: "Lead team renamed" });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await owner.teams.rename({ orgId: org.id, teamId: org.otherTeamId, name: "Other team renamed" });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await owner.teams.create({ orgId: org.id, name: "Brand new team" });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await owner.teams.rename({ orgId: org.id, teamId: org.leadTeamId, name: "Lead team again" });
}

const params = (query = "") => new URLSearchParams(query);

describe("audit export", () => {
  test("an owner's export holds the whole chain, ends with its own audit.exported entry, and verifies", async () => {
    const org = await createTestOrg();
    await makeHistory(org);
    const before = await auditCount(org.id);

    const result = await startAuditExport(testDb(), org.users.owner.userId, org.id, params());
    expect(result).toMatchObject({ kind: "ok", scope: "org", filename: expect.stringMatching(new RegExp(`^audit-${org.slug}-\\d{4}-\\d{2}-\\d{2}\\.ndjson$`)) });
    const { text, entries } = await collect(result);

    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: before + 1 }, (_, index) => index + 1));
    expect(entries.at(-1)).toMatchObject({ action: "audit.exported", actorLabel: org.users.owner.email, teamId: null });
    const verified = verifyExportLines(text.split("\n"));
    expect(verified).toMatchObject({ ok: true, orgs: [{ orgId: org.id, count: before + 1, startsMidChain: null }] });
  });

  test("a team lead's export holds only their team's entries and verifies with --partial", async () => {
    const org = await createTestOrg();
    await makeHistory(org);

    const result = await startAuditExport(testDb(), org.users.team_lead.userId, org.id, params());
    expect(result).toMatchObject({ kind: "ok", scope: "teams", filename: expect.stringMatching(/-teams\.ndjson$/) });
    const { text, entries } = await collect(result);

    expect(entries.length).toBeGreaterThanOrEqual(3); // two renames of the lead team and the export itself
    expect(entries.every((entry) => entry.teamId === org.leadTeamId)).toBe(true);
    expect(entries.at(-1)).toMatchObject({ action: "audit.exported", actorLabel: org.users.team_lead.email });
    expect(verifyExportLines(text.split("\n")).ok).toBe(false); // gaps: the other teams' entries
    expect(verifyExportLines(text.split("\n"), { partial: true })).toMatchObject({ ok: true, partial: true });
  });

  test("a date range exports a contiguous stretch of the chain that verifies from its first entry", async () => {
    const org = await createTestOrg();
    await makeHistory(org);
    const whole = await collect(await startAuditExport(testDb(), org.users.compliance.userId, org.id, params()));
    const pivot = whole.entries.find((entry) => entry.action === "team.created");
    if (!pivot) throw new Error("history has no team.created entry");

    const ranged = await collect(await startAuditExport(testDb(), org.users.compliance.userId, org.id, params(`from=${pivot.at}`)));
    expect(ranged.entries[0]?.seq).toBe(pivot.seq);
    expect(verifyExportLines(ranged.text.split("\n"))).toMatchObject({ ok: true, orgs: [{ startsMidChain: { seq: pivot.seq } }] });

    const beforeAnything = await collect(await startAuditExport(testDb(), org.users.compliance.userId, org.id, params("to=2000-01-01")));
    expect(beforeAnything.entries).toEqual([]);
  });

  test("viewers, non-members and bad query parameters are refused, and nothing is recorded", async () => {
    const org = await createTestOrg();
    const stranger = await createTestUser(testDb());
    const before = await auditCount(org.id);

    expect(await startAuditExport(testDb(), org.users.viewer.userId, org.id, params())).toMatchObject({ kind: "forbidden", message: expect.stringMatching(/viewer/) });
    expect(await startAuditExport(testDb(), stranger.userId, org.id, params())).toMatchObject({ kind: "forbidden" });
    expect(await startAuditExport(testDb(), org.users.owner.userId, "not-a-uuid", params())).toMatchObject({ kind: "forbidden" });
    expect(await startAuditExport(testDb(), org.users.owner.userId, org.id, params("from=last-week"))).toMatchObject({ kind: "invalid", details: { from: expect.any(Array) } });
    expect(await auditCount(org.id)).toBe(before);
  });

  test("a role taken away stops the next export", async () => {
    const org = await createTestOrg();
    await callerFor(org.users.owner.userId).members.update({ orgId: org.id, membershipId: org.users.compliance.membershipId, role: "viewer", teamIds: [] });
    expect(await startAuditExport(testDb(), org.users.compliance.userId, org.id, params())).toMatchObject({ kind: "forbidden" });
  });
});

// Compliance from the system's own state: a classification re-evaluates the agent's controls from
// policies, budgets, kill switches, decisions and the audit chain; incidents run on their Art. 73
// clocks; an evidence pack's hashes are vouched for by a verified audit export.
import { randomUUID } from "node:crypto";
import { unzipSync, strFromU8 } from "fflate";
import { beforeAll, describe, expect, test } from "vitest";
import { startAuditExport } from "../../server/data/audit-export";
import { storeEvents } from "../../server/data/event-store";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import type { AgentEvent } from "../../server/domain/telemetry/events";
import { evaluateControls } from "../../server/data/compliance-evaluate";
import { exportEvidencePack } from "../../server/data/evidence";
import { openIncident } from "../../server/data/incidents";
import { getPool, inTransaction } from "../../server/db/pool";
import { sha256 } from "../../server/domain/compliance/evidence-pack";
import { verifyExportLines } from "../../server/domain/audit/verify-export";
import { auditCount, callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

let org: TestOrg;
const compliance = () => callerFor(org.users.compliance.userId);
const owner = () => callerFor(org.users.owner.userId);

async function reconciliationAgent(name = `reconciliation-${randomUUID().slice(0, 6)}`) {
  return testDb().agent.create({
    data: {
      orgId: org.id,
      name,
      teamId: org.leadTeamId,
      owner: "lead.finance@test.invalid",
      description: "Matches bank statements against the ledger and flags discrepancies.",
      models: ["gpt-test"],
      tools: ["ledger_query", "bank_statement_fetch", "create_journal_entry"],
      dataCategories: ["financial", "PII"],
    },
  });
}

const statusOf = async (agentId: string, controlId: string) => (await testDb().controlEvaluation.findUnique({ where: { agentId_controlId: { agentId, controlId } } }))?.status ?? null;

beforeAll(async () => {
  org = await createTestOrg();
});

/** Stores events as the agent's key would, through the ingest pipeline's store (its aggregates included). */
async function ingestAs(agentId: string, events: AgentEvent[]): Promise<void> {
  forgetFacts(org.id);
  const facts = await orgFacts(org.id);
  const stored = await storeEvents({ orgId: org.id, agent: facts.agents.get(agentId) ?? null, facts, valid: events.map((event, index) => ({ index, event })) });
  expect(stored.accepted).toBe(events.length);
}

describe("classifying an agent", () => {
  test("high risk with PCI: the controls it now needs appear, the approval control is a gap until a policy closes it", async () => {
    const agent = await reconciliationAgent();
    // Before: unclassified, the high-risk obligations do not apply.
    await compliance().compliance.evaluate({ orgId: org.id, agentId: agent.id });
    expect(await statusOf(agent.id, "EUAIA-14")).toBe("not_applicable");
    expect(await statusOf(agent.id, "SOC2-CC3.2")).toBe("gap");

    const before = await auditCount(org.id);
    await compliance().compliance.classify({
      orgId: org.id,
      agentId: agent.id,
      riskClass: "high",
      annexArea: "essential_services",
      reason: "Its journal entries feed credit decisions for customers.",
      dataCategories: ["financial", "PII", "PCI"],
      questionnaire: { annexAreas: ["essential_services"] },
    });
    expect(await auditCount(org.id)).toBe(before + 1);
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id }, orderBy: { seq: "desc" } });
    expect(entry).toMatchObject({ action: "compliance.classified", targetId: agent.id, reason: "Its journal entries feed credit decisions for customers." });

    const view = await compliance().compliance.agent({ orgId: org.id, agentId: agent.id });
    const byId = new Map(view?.controls.map((control) => [control.id, control]));
    expect(view?.classification).toMatchObject({ riskClass: "high", annexArea: "essential_services", suggestion: { riskClass: "high" } });
    expect(byId.get("EUAIA-14")).toMatchObject({ status: "gap", summary: expect.stringContaining("create_journal_entry") });
    expect(byId.get("SOC2-CC6.1")).toMatchObject({ status: "met", summary: expect.stringContaining("high-risk-pci-approval") });
    expect(byId.get("SOC2-CC3.2")?.status).toBe("met");
    expect(byId.get("EUAIA-26.1")?.status).toBe("not_assessed");
    expect(byId.get("NIST-MANAGE-2.1")?.status).toBe("gap"); // no budget
    // Gaps first.
    expect(view?.controls[0]?.status).toBe("gap");
    // The calendar: the high-risk obligations apply from the amended Annex III date.
    expect(view?.calendar.find((item) => item.controlId === "EUAIA-14")?.from).toBe("2027-12-02");

    // The compliance officer adds the approval policy; re-evaluating turns the control met.
    const policy = await compliance().policies.create({
      orgId: org.id,
      name: `Journal entries of ${agent.name} need approval`,
      source: {
        kind: "form",
        form: { who: { kind: "agent", name: agent.name }, action: "tool", resources: ["create_journal_entry"], effect: "require_approval", conditions: [], reason: "A person checks every journal entry." },
      },
      enforce: true,
    });
    await compliance().compliance.evaluate({ orgId: org.id, agentId: agent.id });
    const after = await compliance().compliance.agent({ orgId: org.id, agentId: agent.id });
    const control = after?.controls.find((item) => item.id === "EUAIA-14");
    expect(control?.status).toBe("met");
    const refs = (control?.evidence as { auditEntries: { seq: number; hash: string; action: string }[] }).auditEntries;
    const policyEntry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id, targetId: policy.id, action: "policy.created" } });
    expect(refs).toContainEqual(expect.objectContaining({ seq: policyEntry.seq, hash: policyEntry.hash }));
  });

  test("a change without a reason is refused and changes nothing; only compliance:write may classify", async () => {
    const agent = await reconciliationAgent();
    const before = await auditCount(org.id);
    expect(await errorCode(compliance().compliance.classify({ orgId: org.id, agentId: agent.id, riskClass: "high", reason: "   ", dataCategories: [] }))).toBe("BAD_REQUEST");
    expect(
      await errorCode(callerFor(org.users.team_lead.userId).compliance.classify({ orgId: org.id, agentId: agent.id, riskClass: "minimal", reason: "Team leads may not do this.", dataCategories: [] })),
    ).toBe("FORBIDDEN");
    expect(await auditCount(org.id)).toBe(before);
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).riskClass).toBeNull();
  });

  test("observed data beyond what was declared is a gap (GDPR Art. 30)", async () => {
    const agent = await reconciliationAgent();
    // Two events whose attributes hold a card number: redaction finds PCI in both.
    await ingestAs(agent.id, [
      { id: `card-${randomUUID()}`, type: "log", timestamp: new Date().toISOString(), attributes: { note: "card 4111 1111 1111 1111" } },
      { id: `card-${randomUUID()}`, type: "log", timestamp: new Date().toISOString(), attributes: { note: "card 4111 1111 1111 1111" } },
    ]);
    expect(await testDb().agentObservedCategory.findUniqueOrThrow({ where: { agentId_category: { agentId: agent.id, category: "PCI" } } })).toMatchObject({ events: 2 });
    await evaluateControls(org.id, new Date());
    expect(await statusOf(agent.id, "GDPR-30")).toBe("gap");
    const view = await compliance().compliance.agent({ orgId: org.id, agentId: agent.id });
    expect(view?.data).toEqual({ declared: ["financial", "PII"], observed: ["PCI"], undeclared: ["PCI"] });
  });

  test("the coverage matrix lists agents × the 40 controls with gaps first, and team leads see only their teams", async () => {
    const matrix = await callerFor(org.users.viewer.userId).compliance.matrix({ orgId: org.id });
    expect(matrix.controls).toHaveLength(40);
    expect(matrix.agents.length).toBeGreaterThan(0);
    for (const row of matrix.agents) expect(row.statuses).toHaveLength(40);
    const gaps = matrix.agents.map((row) => row.gaps);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
    const other = await testDb().agent.create({ data: { orgId: org.id, name: `other-${randomUUID().slice(0, 6)}`, teamId: org.otherTeamId } });
    const lead = await callerFor(org.users.team_lead.userId).compliance.matrix({ orgId: org.id });
    expect(lead.agents.map((row) => row.id)).not.toContain(other.id);
    expect(await errorCode(callerFor(org.users.team_lead.userId).compliance.agent({ orgId: org.id, agentId: other.id }))).toBe("FORBIDDEN");
  });
});

describe("incidents", () => {
  test("a kill switch opens one incident, audited in the same transaction, once", async () => {
    const agent = await reconciliationAgent();
    await owner().killSwitches.engage({ orgId: org.id, scope: "agent", target: agent.id, reason: "Posting duplicate journal entries", confirmation: agent.name });
    const incidents = await testDb().incident.findMany({ where: { orgId: org.id, agentId: agent.id } });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ source: "kill_switch", severity: "high", status: "open", serious: false, deadlineAt: null });
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id, targetId: incidents[0]?.id } });
    expect(entry.action).toBe("incident.opened");
    // The same source opens nothing new.
    const again = await inTransaction(getPool(), (client) =>
      openIncident(client, {
        orgId: org.id,
        agentId: agent.id,
        title: "again",
        source: "kill_switch",
        sourceRef: incidents[0]?.sourceRef ?? "",
        severity: "high",
        openedBy: "system",
        actor: { type: "system", id: null, label: "system" },
      }),
    );
    expect(again).toBe(incidents[0]?.id);
    expect(await testDb().auditEntry.count({ where: { orgId: org.id, targetId: again } })).toBe(1);
  });

  test("a serious incident runs on its Art. 73 clock, is reported, and is closed only with a note", async () => {
    const agent = await reconciliationAgent();
    const awareAt = new Date(Date.now() - 3 * 86_400_000);
    const { id } = await compliance().incidents.open({
      orgId: org.id,
      agentId: agent.id,
      title: "Payments to the wrong accounts",
      severity: "critical",
      serious: true,
      seriousKind: "widespread_or_critical_infrastructure",
      awareAt,
    });
    let [incident] = await compliance().incidents.list({ orgId: org.id, agentId: agent.id });
    expect(incident?.deadlineAt?.toISOString()).toBe(new Date(awareAt.getTime() + 2 * 86_400_000).toISOString());
    expect(incident?.clock.state).toBe("overdue");
    // Overdue: Art. 73 is a gap for a high-risk agent.
    await compliance().compliance.classify({ orgId: org.id, agentId: agent.id, riskClass: "high", reason: "Moves money for customers.", dataCategories: ["financial"] });
    expect(await statusOf(agent.id, "EUAIA-73")).toBe("gap");

    expect(await errorCode(compliance().incidents.close({ orgId: org.id, incidentId: id, note: "All fixed now, thanks." }))).toBe("BAD_REQUEST");
    await compliance().incidents.report({ orgId: org.id, incidentId: id, reportedAt: new Date(), reference: "MSA-2026-0042" });
    [incident] = await compliance().incidents.list({ orgId: org.id, agentId: agent.id });
    expect(incident?.clock.state).toBe("reported_late");
    expect(await errorCode(compliance().incidents.close({ orgId: org.id, incidentId: id, note: "short" }))).toBe("BAD_REQUEST");
    await compliance().incidents.close({ orgId: org.id, incidentId: id, note: "Root cause fixed: IBAN mapping corrected and replayed." });
    [incident] = await compliance().incidents.list({ orgId: org.id, agentId: agent.id });
    expect(incident).toMatchObject({ status: "closed", closingNote: "Root cause fixed: IBAN mapping corrected and replayed." });
    const actions = (await testDb().auditEntry.findMany({ where: { orgId: org.id, targetId: id }, orderBy: { seq: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(["incident.opened", "incident.reported", "incident.closed"]);
  });

  test("a team lead opens incidents on their own teams' agents only", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const mine = await reconciliationAgent();
    const theirs = await testDb().agent.create({ data: { orgId: org.id, name: `theirs-${randomUUID().slice(0, 6)}`, teamId: org.otherTeamId } });
    await lead.incidents.open({ orgId: org.id, agentId: mine.id, title: "Odd outputs", severity: "low" });
    expect(await errorCode(lead.incidents.open({ orgId: org.id, agentId: theirs.id, title: "Not mine", severity: "low" }))).toBe("FORBIDDEN");
    expect(await errorCode(lead.incidents.open({ orgId: org.id, title: "Org-wide", severity: "low" }))).toBe("FORBIDDEN");
    expect(await errorCode(callerFor(org.users.viewer.userId).incidents.open({ orgId: org.id, agentId: mine.id, title: "Viewer", severity: "low" }))).toBe("FORBIDDEN");
  });
});

describe("the evidence pack", () => {
  test("its files hash to what the manifest says, and the audit export verifies and vouches for them", async () => {
    const from = new Date(Date.now() - 86_400_000);
    const to = new Date(Date.now() + 60_000);
    const params = new URLSearchParams({ scope: "org", from: from.toISOString(), to: to.toISOString() });
    const result = await exportEvidencePack(testDb(), org.users.compliance.userId, org.id, params);
    if (result.kind !== "ok") throw new Error(`export failed: ${result.kind}`);
    const files = unzipSync(result.body);
    expect(Object.keys(files).sort()).toEqual(["controls.csv", "evidence.html", "evidence.json", "manifest.json", "oscal-assessment-results.json"]);
    const manifest = JSON.parse(strFromU8(files["manifest.json"] as Uint8Array)) as { files: { name: string; sha256: string }[]; exportEntry: { seq: number; hash: string } };
    for (const file of manifest.files) expect(sha256(files[file.name] as Uint8Array)).toBe(file.sha256);

    const pack = JSON.parse(strFromU8(files["evidence.json"] as Uint8Array)) as { controls: { id: string; status: string }[]; auditEntries: { seq: number; hash: string }[] };
    expect(pack.controls.find((control) => control.id === "EUAIA-14")?.status).toBe("partial");
    const oscal = JSON.parse(strFromU8(files["oscal-assessment-results.json"] as Uint8Array)) as {
      "assessment-results": { results: { findings: { target: { "target-id": string; status: { state: string } }; props: { name: string; value: string }[] }[] }[] };
    };
    const finding = oscal["assessment-results"].results[0]?.findings.find((item) => item.target["target-id"] === "EUAIA-14");
    expect(finding?.target.status.state).toBe("not-satisfied");
    expect(finding?.props).toContainEqual(expect.objectContaining({ name: "partial", value: "true" }));
    expect(oscal["assessment-results"].results[0]?.findings.find((item) => item.target["target-id"] === "EUAIA-26.1")?.props).toContainEqual(expect.objectContaining({ name: "not-assessed", value: "true" }));

    // The audit export, verified as `npm run audit:verify` would.
    const exported = await startAuditExport(testDb(), org.users.compliance.userId, org.id, new URLSearchParams());
    if (exported.kind !== "ok") throw new Error("audit export failed");
    const lines: string[] = [];
    for await (const line of exported.lines) lines.push(line);
    expect(verifyExportLines(lines).ok).toBe(true);
    const bySeq = new Map(lines.map((line) => JSON.parse(line) as { seq: number; hash: string; action: string; after: { files?: Record<string, string> } }).map((entry) => [entry.seq, entry]));
    const exportEntry = bySeq.get(manifest.exportEntry.seq);
    expect(exportEntry).toMatchObject({ hash: manifest.exportEntry.hash, action: "compliance.evidence_exported" });
    expect(exportEntry?.after.files).toEqual(Object.fromEntries(manifest.files.map((file) => [file.name, file.sha256])));
    expect(pack.auditEntries.length).toBeGreaterThan(0);
    for (const ref of pack.auditEntries) expect(bySeq.get(ref.seq)?.hash).toBe(ref.hash);
  });

  test("an empty period says so and produces no file; viewers may not export", async () => {
    const before = await auditCount(org.id);
    const params = new URLSearchParams({ scope: "org", from: "2020-01-01", to: "2020-02-01" });
    expect((await exportEvidencePack(testDb(), org.users.compliance.userId, org.id, params)).kind).toBe("empty");
    expect((await exportEvidencePack(testDb(), org.users.viewer.userId, org.id, params)).kind).toBe("forbidden");
    expect((await exportEvidencePack(testDb(), org.users.compliance.userId, org.id, new URLSearchParams({ scope: "team", from: "2020-01-01", to: "2020-02-01" }))).kind).toBe("invalid");
    expect(await auditCount(org.id)).toBe(before);
  });
});

describe("ingest", () => {
  test("tool calls add up per agent, tool and hour", async () => {
    const agent = await reconciliationAgent();
    const ts = "2026-11-30T10:15:00Z";
    const call = () => ({ id: `call-${randomUUID()}`, type: "tool_call" as const, tool: "ledger_query", timestamp: ts });
    await ingestAs(agent.id, [call(), call()]);
    await ingestAs(agent.id, [call(), call()]);
    const row = await testDb().toolCallRollupHourly.findUniqueOrThrow({ where: { agentId_tool_hour: { agentId: agent.id, tool: "ledger_query", hour: new Date("2026-11-30T10:00:00Z") } } });
    expect(row.calls).toBe(4);
  });
});

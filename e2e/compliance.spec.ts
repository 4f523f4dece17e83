// The compliance officer's and the CIO's day (docs/compliance.md), in Chromium against the built app: a compliance officer tags
// reconciliation-agent high risk with PCI data, sees the controls it now needs and which are gaps,
// adds the approval policy that closes one and sees it turn met, opens an incident and sees its
// clock, and downloads an evidence pack whose hashes match an audit export that `npm run
// audit:verify` verifies; the CIO's Overview shows numbers that match the other pages; a cost spike
// the simulator causes appears as an anomaly. No other spec uses reconciliation-agent, and the only
// other traffic of kb-summarizer (the spike's agent) is one exported trace (otlp-exporters.spec.ts).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { costSpike, SPIKE_AGENT } from "../scripts/simulate/drives";
import { demoFile, expect, signedInAs, test } from "./fixtures";
import { agentIdOf, orgIdOf } from "./stored";

const AGENT = "reconciliation-agent";
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

test.describe.configure({ mode: "serial" });

test.describe("the compliance officer", () => {
  signedInAs("compliance");

  test("tags reconciliation-agent high risk with PCI, closes the approval gap with a policy, opens an incident on the clock, and exports evidence the audit chain vouches for", async ({
    page,
    agentPage,
    policies,
  }) => {
    test.setTimeout(120_000);
    const agent = agentPage(await agentIdOf(AGENT));
    await agent.open("compliance");
    await expect(agent.riskClassHeading()).toBeVisible();

    // Classify: the questionnaire suggests high risk (credit decisions), the officer declares PCI and says why.
    const dialog = await agent.openClassification(AGENT);
    await dialog.getByLabel("Access to essential private and public services").check();
    await expect(dialog.getByRole("region", { name: "Suggested class" })).toContainText("High risk");
    await expect(dialog.getByRole("region", { name: "Suggested class" })).toContainText("Access to essential private and public services");
    await dialog.getByRole("checkbox", { name: "PCI", exact: true }).check();
    // A change without a reason is refused.
    await dialog.getByRole("button", { name: "Save classification" }).click();
    await expect(dialog.getByRole("alert")).toContainText("Say why");
    await dialog.getByLabel("Reason (required, kept in the audit log)").fill("Its journal entries feed customers' credit limits; it reads card settlement files.");
    await dialog.getByRole("button", { name: "Save classification" }).click();
    await expect(dialog).toBeHidden();

    // The controls it now needs, and which are gaps: human oversight is one (create_journal_entry needs no approval yet).
    await expect(page.getByText("High risk").first()).toBeVisible();
    const oversight = agent.gaps().getByRole("listitem", { name: "EUAIA-14 Human oversight: Gap" });
    await expect(oversight).toContainText("create_journal_entry");
    await page.screenshot({ path: "test-results/compliance-agent-classified.png", fullPage: true });
    // PCI needs approval already (the compliance rule for high-risk agents): met.
    await agent.showControlsMet();
    await expect(agent.controlsMet().getByRole("listitem", { name: "SOC2-CC6.1 Access to sensitive data restricted: Met" })).toBeVisible();
    // The calendar: what applies now, and the high-risk obligations from 2 December 2027.
    await expect(agent.appliesLater()).toContainText("from 2 December 2027: EU AI Act Art. 14");

    // The approval policy that closes the gap.
    await policies.goto();
    await policies.newPolicy(`Journal entries of ${AGENT} need approval ${Date.now()}`);
    await policies.describeRule({ agent: AGENT, action: "tool", names: "create_journal_entry", effect: "require_approval" });
    await expect(policies.valid()).toBeVisible();
    await policies.saveAndEnforce();
    await expect(policies.editorHeading()).toBeHidden();

    await agent.open("compliance");
    await agent.reevaluate();
    await expect(agent.gaps().getByRole("listitem", { name: /^EUAIA-14 / })).toHaveCount(0);
    await agent.showControlsMet();
    await expect(agent.controlsMet().getByRole("listitem", { name: "EUAIA-14 Human oversight: Met" })).toContainText("Every consequential tool (create_journal_entry) needs a person's approval");

    // An incident, serious, on the 2-day clock.
    const title = `Journal entries posted twice ${Date.now()}`;
    const open = await agent.openIncident({ title, severity: "critical", serious: "widespread_or_critical_infrastructure" });
    await expect(open).toBeHidden();
    const incident = agent.incident(title);
    await expect(incident.getByRole("timer")).toHaveAccessibleName(/^Reporting clock: (1 d 23 h \d+ min|2 d 0 h 0 min) left to report$/);
    await expect(incident).toContainText("Serious (Art. 73)");
    await expect(incident).toContainText(/deadline/);
    await page.screenshot({ path: "test-results/compliance-incident-clock.png", fullPage: true });

    // The evidence pack for this agent, and the audit export that vouches for it.
    const download = await agent.downloadEvidencePack();
    const dir = mkdtempSync(join(tmpdir(), "agentry-evidence-"));
    const zipPath = join(dir, download.suggestedFilename());
    await download.saveAs(zipPath);
    expect(download.suggestedFilename()).toMatch(/^evidence-acme-agent-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    const manifest = JSON.parse(strFromU8(files["manifest.json"] as Uint8Array)) as { files: { name: string; sha256: string }[]; exportEntry: { seq: number; hash: string } };
    expect(manifest.files.map((file) => file.name).sort()).toEqual(["controls.csv", "evidence.html", "evidence.json", "oscal-assessment-results.json"]);
    for (const file of manifest.files) expect(sha256(files[file.name] as Uint8Array)).toBe(file.sha256);
    const pack = JSON.parse(strFromU8(files["evidence.json"] as Uint8Array)) as { controls: { id: string; status: string }[]; auditEntries: { seq: number; hash: string }[] };
    expect(pack.controls.find((control) => control.id === "EUAIA-14")?.status).toBe("met");

    const orgId = await orgIdOf("acme");
    const exported = await page.request.get(`/api/orgs/${orgId}/audit/export`);
    expect(exported.status()).toBe(200);
    const exportPath = join(dir, "audit.ndjson");
    writeFileSync(exportPath, await exported.body());
    const verified = execFileSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", exportPath], { encoding: "utf8" });
    expect(verified).toMatch(/^OK: \d+ entries verified/);
    const entries = new Map(
      readFileSync(exportPath, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { seq: number; hash: string; action: string; after: { files?: Record<string, string> } })
        .map((entry) => [entry.seq, entry]),
    );
    const exportEntry = entries.get(manifest.exportEntry.seq);
    expect(exportEntry).toMatchObject({ hash: manifest.exportEntry.hash, action: "compliance.evidence_exported" });
    expect(exportEntry?.after.files).toEqual(Object.fromEntries(manifest.files.map((file) => [file.name, file.sha256])));
    for (const ref of pack.auditEntries) expect(entries.get(ref.seq)?.hash).toBe(ref.hash);
  });

  test("an empty period says so instead of producing a pack", async ({ compliance }) => {
    await compliance.open("evidence");
    await compliance.downloadEvidenceFor({ from: "2020-01-01", until: "2020-02-01" });
    await expect(compliance.notice("Nothing to export for this period")).toContainText("No pack was produced");
  });
});

test.describe("a spike the simulator causes", () => {
  signedInAs("owner");

  test("appears as an anomaly, linked to the events behind it, and can open an incident", async ({ page, baseURL, compliance }) => {
    test.setTimeout(90_000);
    const lines: string[] = [];
    await costSpike({ baseUrl: baseURL ?? demoFile().url, agentKeys: demoFile().agentKeys, users: demoFile().users, log: (line) => lines.push(line), signal: new AbortController().signal });
    expect(lines.join("\n")).toContain(`${SPIKE_AGENT} made 40 model calls`);

    await compliance.open("anomalies");
    const spike = compliance.costSpike(SPIKE_AGENT).first();
    // Detection runs every 15 s; the list refreshes itself.
    await expect(spike).toBeVisible({ timeout: 60_000 });
    await expect(spike).toContainText(/\$\d+\.\d{2} in the hour \(usual \$\d+\.\d{2}\)/);
    await expect(spike).toContainText("robust z-score");
    await page.screenshot({ path: "test-results/compliance-anomaly.png", fullPage: true });

    await compliance.openIncidentFromCostSpike(spike, SPIKE_AGENT);
    await expect(compliance.incidentFromAnomalyDialog()).toBeHidden();
    await expect(spike.getByRole("link", { name: "Incident opened →" })).toBeVisible();

    await compliance.eventsBehindCostSpike(spike, SPIKE_AGENT);
    await expect(page).toHaveURL(/\/acme\/events\?agentId=/);
    await expect(page.getByRole("table").getByRole("row").filter({ hasText: "gpt-4o-mini" }).first()).toBeVisible();
  });
});

test.describe("the CIO's Overview", () => {
  signedInAs("viewer");

  test("shows compliance posture and anomalies whose numbers match the pages they link to", async ({ page, overview, compliance }) => {
    test.setTimeout(60_000);
    // Other specs engage kill switches (each opens an incident) while this runs: compare again until a reading agrees.
    await expect(async () => {
      await overview.goto();
      const gaps = await overview.figure("Open gaps");
      const incidents = await overview.figure("Incidents open");
      const anomalies = await overview.anomalyCount();

      await overview.figureLink("Open gaps").click();
      await expect(page).toHaveURL(/\/acme\/compliance$/);
      await expect(compliance.controlsSummary()).toContainText(`${gaps} gaps`);

      await compliance.open("incidents");
      await compliance.showIncidents("open");
      await expect(compliance.incidents().getByRole("listitem").first()).toBeVisible();
      expect(await compliance.count(compliance.incidents())).toBe(incidents);

      await compliance.open("anomalies");
      await expect(compliance.anomalies()).toBeVisible();
      expect(await compliance.count(compliance.anomalies())).toBe(anomalies);
    }).toPass({ timeout: 45_000 });
    await overview.goto();
    await page.screenshot({ path: "test-results/compliance-overview.png", fullPage: true });
  });
});

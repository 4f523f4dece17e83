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
import { demoFile, expect, signedInAs, test, withDatabase } from "./fixtures";

const AGENT = "reconciliation-agent";
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

async function agentId(name: string): Promise<string> {
  return withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>("SELECT a.id FROM agents a JOIN orgs o ON o.id = a.org_id WHERE o.slug = 'acme' AND a.name = $1", [name]);
    if (!rows[0]) throw new Error(`no agent ${name}`);
    return rows[0].id;
  });
}

test.describe.configure({ mode: "serial" });

test.describe("the compliance officer", () => {
  signedInAs("compliance");

  test("tags reconciliation-agent high risk with PCI, closes the approval gap with a policy, opens an incident on the clock, and exports evidence the audit chain vouches for", async ({ page }) => {
    test.setTimeout(120_000);
    const id = await agentId(AGENT);
    await page.goto(`/acme/agents/${id}?tab=compliance`);
    await expect(page.getByRole("heading", { name: "EU AI Act risk class" })).toBeVisible();

    // Classify: the questionnaire suggests high risk (credit decisions), the officer declares PCI and says why.
    await page.getByRole("button", { name: "Classify", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Classify ${AGENT}` });
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
    const gaps = page.getByRole("list", { name: "Controls with a gap or not assessed" });
    const oversight = gaps.getByRole("listitem", { name: "EUAIA-14 Human oversight: Gap" });
    await expect(oversight).toContainText("create_journal_entry");
    await page.screenshot({ path: "test-results/compliance-agent-classified.png", fullPage: true });
    // PCI needs approval already (the compliance rule for high-risk agents): met.
    await page.getByText(/controls met — show them/).click();
    await expect(page.getByRole("list", { name: "Controls met" }).getByRole("listitem", { name: "SOC2-CC6.1 Access to sensitive data restricted: Met" })).toBeVisible();
    // The calendar: what applies now, and the high-risk obligations from 2 December 2027.
    await expect(page.getByRole("region", { name: "Applies later" })).toContainText("from 2 December 2027: EU AI Act Art. 14");

    // The approval policy that closes the gap.
    await page.goto("/acme/policies");
    await page.getByRole("button", { name: "New policy" }).click();
    await page.getByLabel("Policy name").fill(`Journal entries of ${AGENT} need approval ${Date.now()}`);
    await page.getByLabel("Who").selectOption("agent");
    await page.getByLabel("Agent name").fill(AGENT);
    await page.getByLabel("Action", { exact: true }).selectOption("tool");
    await page.getByLabel("Names (comma-separated; empty: any)").fill("create_journal_entry");
    await page.getByLabel("Effect").selectOption("require_approval");
    await expect(page.getByText("Valid against the schema.")).toBeVisible();
    await page.getByRole("button", { name: "Save and enforce" }).click();
    await page.getByRole("dialog", { name: "Enforce this policy?" }).getByRole("button", { name: "Enforce" }).click();
    await expect(page.getByRole("heading", { name: "New policy" })).toBeHidden();

    await page.goto(`/acme/agents/${id}?tab=compliance`);
    await page.getByRole("button", { name: "Re-evaluate now" }).click();
    await expect(page.getByRole("list", { name: "Controls with a gap or not assessed" }).getByRole("listitem", { name: /^EUAIA-14 / })).toHaveCount(0);
    await page.getByText(/controls met — show them/).click();
    await expect(page.getByRole("list", { name: "Controls met" }).getByRole("listitem", { name: "EUAIA-14 Human oversight: Met" })).toContainText("Every consequential tool (create_journal_entry) needs a person's approval");

    // An incident, serious, on the 2-day clock.
    const title = `Journal entries posted twice ${Date.now()}`;
    await page.getByRole("button", { name: "Open incident" }).click();
    const open = page.getByRole("dialog", { name: "Open an incident" });
    await open.getByLabel("Title").fill(title);
    await open.getByLabel("Severity").selectOption("critical");
    await open.getByLabel(/This is a serious incident/).check();
    await open.getByLabel("Which kind (sets the reporting clock)").selectOption("widespread_or_critical_infrastructure");
    await open.getByRole("button", { name: "Open incident" }).click();
    await expect(open).toBeHidden();
    const incident = page.getByRole("listitem", { name: `Incident: ${title}` });
    await expect(incident.getByRole("timer")).toHaveAccessibleName(/^Reporting clock: (1 d 23 h \d+ min|2 d 0 h 0 min) left to report$/);
    await expect(incident).toContainText("Serious (Art. 73)");
    await expect(incident).toContainText(/deadline/);
    await page.screenshot({ path: "test-results/compliance-incident-clock.png", fullPage: true });

    // The evidence pack for this agent, and the audit export that vouches for it.
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download evidence pack (.zip)" }).click();
    const download = await downloading;
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

    const orgId = await withDatabase(async (client) => (await client.query<{ id: string }>("SELECT id FROM orgs WHERE slug = 'acme'")).rows[0]?.id);
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

  test("an empty period says so instead of producing a pack", async ({ page }) => {
    await page.goto("/acme/compliance?tab=evidence");
    await page.getByLabel("From (UTC day)").fill("2020-01-01");
    await page.getByLabel("Until (UTC day, not included)").fill("2020-02-01");
    await page.getByRole("button", { name: "Download evidence pack (.zip)" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Nothing to export for this period" })).toContainText("No pack was produced");
  });
});

test.describe("a spike the simulator causes", () => {
  signedInAs("owner");

  test("appears as an anomaly, linked to the events behind it, and can open an incident", async ({ page, baseURL }) => {
    test.setTimeout(90_000);
    const lines: string[] = [];
    await costSpike({ baseUrl: baseURL ?? demoFile().url, agentKeys: demoFile().agentKeys, users: demoFile().users, log: (line) => lines.push(line), signal: new AbortController().signal });
    expect(lines.join("\n")).toContain(`${SPIKE_AGENT} made 40 model calls`);

    await page.goto("/acme/compliance?tab=anomalies");
    const spike = page.getByRole("listitem", { name: `Anomaly: Cost spike: ${SPIKE_AGENT}` }).first();
    // Detection runs every 15 s; the list refreshes itself.
    await expect(spike).toBeVisible({ timeout: 60_000 });
    await expect(spike).toContainText(/\$\d+\.\d{2} in the hour \(usual \$\d+\.\d{2}\)/);
    await expect(spike).toContainText("robust z-score");
    await page.screenshot({ path: "test-results/compliance-anomaly.png", fullPage: true });

    await spike.getByRole("button", { name: `Open an incident for the cost spike of ${SPIKE_AGENT}` }).click();
    const dialog = page.getByRole("dialog", { name: "Open an incident from this anomaly" });
    await dialog.getByRole("button", { name: "Open incident" }).click();
    await expect(dialog).toBeHidden();
    await expect(spike.getByRole("link", { name: "Incident opened →" })).toBeVisible();

    await spike.getByRole("link", { name: `Events behind the cost spike of ${SPIKE_AGENT}` }).click();
    await expect(page).toHaveURL(/\/acme\/events\?agentId=/);
    await expect(page.getByRole("table").getByRole("row").filter({ hasText: "gpt-4o-mini" }).first()).toBeVisible();
  });
});

test.describe("the CIO's Overview", () => {
  signedInAs("viewer");

  test("shows compliance posture and anomalies whose numbers match the pages they link to", async ({ page }) => {
    test.setTimeout(60_000);
    // Other specs engage kill switches (each opens an incident) while this runs: compare again until a reading agrees.
    await expect(async () => {
      await page.goto("/acme");
      const gaps = Number((await page.getByRole("link", { name: /^Open gaps: \d+$/ }).getAttribute("aria-label"))?.split(": ")[1]);
      const incidents = Number((await page.getByRole("link", { name: /^Incidents open: \d+$/ }).getAttribute("aria-label"))?.split(": ")[1]);
      const anomalies = Number(/\((\d+)\)/.exec((await page.getByRole("link", { name: /^All anomalies \(\d+\)$/ }).getAttribute("aria-label")) ?? "")?.[1]);

      await page.getByRole("link", { name: /^Open gaps: \d+$/ }).click();
      await expect(page).toHaveURL(/\/acme\/compliance$/);
      await expect(page.getByText(/\d+ gaps · \d+ not assessed · \d+ met/)).toContainText(`${gaps} gaps`);

      await page.goto("/acme/compliance?tab=incidents");
      await page.getByLabel("Show incidents").selectOption("open");
      await expect(page.getByRole("list", { name: "Incidents list" }).getByRole("listitem").first()).toBeVisible();
      expect(await page.getByRole("list", { name: "Incidents list" }).locator(":scope > li").count()).toBe(incidents);

      await page.goto("/acme/compliance?tab=anomalies");
      await expect(page.getByRole("list", { name: "Anomalies list" })).toBeVisible();
      expect(await page.getByRole("list", { name: "Anomalies list" }).locator(":scope > li").count()).toBe(anomalies);
    }).toPass({ timeout: 45_000 });
    await page.goto("/acme");
    await page.screenshot({ path: "test-results/compliance-overview.png", fullPage: true });
  });
});

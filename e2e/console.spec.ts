import { readFileSync } from "node:fs";
import { verifyExportLines } from "../server/domain/audit/verify-export";
import { ConsoleApi } from "./console-api";
import { DEMO, expect, signedInAs, test } from "./fixtures";
import { AuditPage, InvitationPage } from "./pages";

const SECTIONS = ["Overview", "Agents", "Events", "Policies", "Approvals", "Alerts", "Budgets", "Routing", "Rollouts", "Compliance", "Audit", "Kill switches", "Settings"];

test.describe("the owner", () => {
  signedInAs("owner");

  test("sees every section of the console", async ({ overview }) => {
    await overview.goto();
    for (const section of SECTIONS) await expect(overview.navLink(section)).toBeVisible();
  });

  test("invites a team lead who joins through the link, and a role taken away takes effect on their next request", async ({ page, settings, browser }) => {
    const email = `new.lead.${Date.now()}@acme.test`;
    await settings.open("members");
    await settings.invite({ email, role: "team_lead", teams: ["Finance"] });
    const link = await settings.invitationLink();
    expect(link).toMatch(/\/invite\/inv_[A-Za-z0-9_-]{43}$/);
    await settings.closeInvitation();
    await expect(settings.pendingInvitations().getByRole("row", { name: new RegExp(email) })).toContainText("Finance");

    const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const inviteePage = await invitee.newPage();
    const invitation = new InvitationPage(inviteePage);
    await invitation.goto(link);
    await expect(invitation.heading("Join Acme Corp")).toBeVisible();
    await invitation.createAccountAndJoin({ name: "Nina Newlead", password: "nina's own long password" });
    await expect(inviteePage).toHaveURL(/\/acme$/);
    const inviteeAudit = new AuditPage(inviteePage);
    await inviteeAudit.goto();
    await expect(inviteeAudit.chainVerified()).toBeVisible();

    // The new member is listed (and the invitation no longer pending). Demote to viewer: the very
    // next page load no longer shows the audit log.
    await page.reload();
    await expect(settings.pendingInvitations()).not.toContainText(email);
    await settings.changeRole(email, "viewer");
    await expect(settings.member(email)).toContainText("Viewer");

    await inviteePage.reload();
    await expect(inviteeAudit.roleRefusal("Your role (Viewer) cannot read the audit log")).toBeVisible();
    await invitee.close();
  });

  test("the audit log records a change, verifies its chain, and exports a file that verifies offline", async ({ settings, audit }) => {
    const teamName = `Research ${Date.now()}`;
    await settings.open("teams");
    await settings.createTeam(teamName);
    await expect(settings.team(teamName)).toBeVisible();

    // Other specs write to the same log at the same time: find this change by what it was.
    await audit.open("team.created");
    await expect(audit.chainVerified()).toBeVisible();
    const entry = audit.entry(teamName);
    await expect(entry).toContainText("team.created");
    await expect(entry).toContainText(DEMO.owner);

    const file = await audit.exportNdjson();
    const result = verifyExportLines(readFileSync(file, "utf8").split("\n"));
    expect(result).toMatchObject({ ok: true });
  });
});

test.describe("the CIO (viewer)", () => {
  signedInAs("viewer");

  test("reads the console but is offered no changes, no members and no audit log", async ({ page, settings, audit }) => {
    await settings.goto();
    await expect(settings.heading("Settings")).toBeVisible();
    await expect(page.getByRole("button", { name: /Save|Rename/ })).toHaveCount(0);
    await settings.switchTab("Teams");
    await expect(settings.createTeamButton()).toHaveCount(0);
    await settings.switchTab("Members");
    await expect(settings.roleRefusal("managed by the owners and admins")).toBeVisible();
    await expect(settings.inviteButton()).toHaveCount(0);

    await audit.goto();
    await expect(audit.roleRefusal("Your role (Viewer) cannot read the audit log")).toBeVisible();
    const orgId = await new ConsoleApi(page.request).orgId();
    const exported = await page.request.get(`/api/orgs/${orgId}/audit/export`);
    expect(exported.status()).toBe(403);
  });
});

test.describe("the compliance officer", () => {
  signedInAs("compliance");

  test("reads and verifies the whole audit log but cannot manage members", async ({ settings, audit }) => {
    await audit.open("org.created");
    await expect(audit.chainVerified()).toBeVisible();
    await expect(audit.entries()).toContainText("org.created");
    await settings.open("members");
    await expect(settings.inviteButton()).toHaveCount(0);
  });
});

test.describe("the Finance team lead", () => {
  signedInAs("financeLead");

  test("sees only the Finance team and only its part of the audit log", async ({ page, settings, audit }) => {
    await settings.open("teams");
    const table = page.getByRole("table");
    await expect(table.getByRole("cell", { name: "Finance", exact: true })).toBeVisible();
    await expect(table.getByRole("cell", { name: "Marketing", exact: true })).toHaveCount(0);

    await audit.open("org.created");
    await expect(audit.chainVerified()).toBeVisible();
    await expect(audit.noEntries()).toBeVisible();
  });
});

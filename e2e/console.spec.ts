import { readFileSync } from "node:fs";
import { verifyExportLines } from "../server/domain/audit/verify-export";
import { DEMO, expect, signedInAs, test } from "./fixtures";

const SECTIONS = ["Overview", "Agents", "Events", "Policies", "Approvals", "Alerts", "Budgets", "Routing", "Rollouts", "Compliance", "Audit", "Kill switches", "Settings"];

test.describe("the owner", () => {
  signedInAs("owner");

  test("sees every section of the console", async ({ page }) => {
    await page.goto("/acme");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const section of SECTIONS) await expect(nav.getByRole("link", { name: section, exact: true })).toBeVisible();
  });

  test("invites a team lead who joins through the link, and a role taken away takes effect on their next request", async ({ page, browser }) => {
    const email = `new.lead.${Date.now()}@acme.test`;
    await page.goto("/acme/settings?tab=members");
    await page.getByRole("button", { name: "Invite member" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite member" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption("team_lead");
    await dialog.getByLabel("Finance").check();
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
    const link = await dialog.getByRole("textbox", { name: "Invitation link" }).inputValue();
    expect(link).toMatch(/\/invite\/inv_[A-Za-z0-9_-]{43}$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("table", { name: "Pending invitations" }).getByRole("row", { name: new RegExp(email) })).toContainText("Finance");

    const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const inviteePage = await invitee.newPage();
    await inviteePage.goto(new URL(link).pathname);
    await expect(inviteePage.getByRole("heading", { name: "Join Acme Corp" })).toBeVisible();
    await inviteePage.getByLabel("Your name").fill("Nina Newlead");
    await inviteePage.getByLabel("Password", { exact: true }).fill("nina's own long password");
    await inviteePage.getByLabel("Repeat the password").fill("nina's own long password");
    await inviteePage.getByRole("button", { name: "Create account and join" }).click();
    await expect(inviteePage).toHaveURL(/\/acme$/);
    await inviteePage.goto("/acme/audit");
    await expect(inviteePage.getByText("Chain verified")).toBeVisible();

    // The new member is listed (and the invitation no longer pending). Demote to viewer: the very
    // next page load no longer shows the audit log.
    await page.reload();
    await expect(page.getByRole("table", { name: "Pending invitations" })).not.toContainText(email);
    await page.getByRole("row", { name: new RegExp(email) }).getByRole("button", { name: `Edit ${email}` }).click();
    const edit = page.getByRole("dialog", { name: "Edit member" });
    await edit.getByLabel("Role").selectOption("viewer");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText("Viewer");

    await inviteePage.reload();
    await expect(inviteePage.getByText("Your role (Viewer) cannot read the audit log")).toBeVisible();
    await invitee.close();
  });

  test("the audit log records a change, verifies its chain, and exports a file that verifies offline", async ({ page }) => {
    const teamName = `Research ${Date.now()}`;
    await page.goto("/acme/settings?tab=teams");
    await page.getByLabel("New team").fill(teamName);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page.getByRole("cell", { name: teamName, exact: true })).toBeVisible();

    // Other specs write to the same log at the same time: find this change by what it was.
    await page.goto("/acme/audit?action=team.created");
    await expect(page.getByText("Chain verified")).toBeVisible();
    const entry = page.getByRole("table").getByRole("row").filter({ hasText: teamName });
    await expect(entry).toContainText("team.created");
    await expect(entry).toContainText(DEMO.owner);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export NDJSON" }).click();
    const file = await (await download).path();
    const result = verifyExportLines(readFileSync(file, "utf8").split("\n"));
    expect(result).toMatchObject({ ok: true });
  });
});

test.describe("the CIO (viewer)", () => {
  signedInAs("viewer");

  test("reads the console but is offered no changes, no members and no audit log", async ({ page }) => {
    await page.goto("/acme/settings");
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: /Save|Rename/ })).toHaveCount(0);
    await page.getByRole("tab", { name: "Teams" }).click();
    await expect(page.getByRole("button", { name: "Create team" })).toHaveCount(0);
    await page.getByRole("tab", { name: "Members" }).click();
    await expect(page.getByText("managed by the owners and admins")).toBeVisible();
    await expect(page.getByRole("button", { name: "Invite member" })).toHaveCount(0);

    await page.goto("/acme/audit");
    await expect(page.getByText("Your role (Viewer) cannot read the audit log")).toBeVisible();
    const exported = await page.request.get(`/api/orgs/${await orgId(page)}/audit/export`);
    expect(exported.status()).toBe(403);
  });
});

test.describe("the compliance officer", () => {
  signedInAs("compliance");

  test("reads and verifies the whole audit log but cannot manage members", async ({ page }) => {
    await page.goto("/acme/audit?action=org.created");
    await expect(page.getByText("Chain verified")).toBeVisible();
    await expect(page.getByRole("table")).toContainText("org.created");
    await page.goto("/acme/settings?tab=members");
    await expect(page.getByRole("button", { name: "Invite member" })).toHaveCount(0);
  });
});

test.describe("the Finance team lead", () => {
  signedInAs("financeLead");

  test("sees only the Finance team and only its part of the audit log", async ({ page }) => {
    await page.goto("/acme/settings?tab=teams");
    const table = page.getByRole("table");
    await expect(table.getByRole("cell", { name: "Finance", exact: true })).toBeVisible();
    await expect(table.getByRole("cell", { name: "Marketing", exact: true })).toHaveCount(0);

    await page.goto("/acme/audit?action=org.created");
    await expect(page.getByText("Chain verified")).toBeVisible();
    await expect(page.getByText("No entries match these filters")).toBeVisible();
  });
});

async function orgId(page: import("@playwright/test").Page): Promise<string> {
  const response = await page.request.get("/api/trpc/org.mine");
  const body = (await response.json()) as { result: { data: { json: { id: string; slug: string }[] } } };
  const org = body.result.data.json.find((candidate) => candidate.slug === "acme");
  if (!org) throw new Error("the viewer is not in acme");
  return org.id;
}

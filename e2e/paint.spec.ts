// Pages paint with data: the server renders each console page with its data in the HTML, so a
// page opened cold shows it before (and without) any script. These tests open every main page
// in a browser with JavaScript turned off and find the page's own data in it.
import type { Locator } from "@playwright/test";
import { expect, signedInAs, test } from "./fixtures";
import type { ConsolePage } from "./pages";

const DEMO_AGENTS = ["content-writer", "reconciliation-agent", "financial-analyst", "ticket-router", "doc-classifier", "support-chatbot"];

/** The page as the server sent it: the data is there, and nothing is still loading. */
async function openCold(consolePage: ConsolePage, query: Record<string, string> = {}): Promise<Locator> {
  const response = await consolePage.goto(query, { hydrates: false });
  expect(response?.status()).toBe(200);
  const main = consolePage.main;
  // Every loading state says "Loading …" to screen readers; a page that painted with data has none.
  await expect(main.getByText(/^Loading .*…$/)).toHaveCount(0);
  return main;
}

test.describe("a console page opened with JavaScript off", () => {
  signedInAs("owner");
  test.use({ javaScriptEnabled: false });

  test("the overview shows the month's spend, the agents and the top spenders", async ({ overview }) => {
    const main = await openCold(overview);
    await expect(main.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await expect(main.getByText("Spend this month")).toBeVisible();
    await expect(overview.topSpenders().getByRole("link", { name: "financial-analyst" })).toBeVisible();
    await expect(main.getByText(/Audit chain verified · \d+ entries/)).toBeVisible();
  });

  test("the agent registry lists the demo agents, and an agent's page shows its record and instances", async ({ agents, agentPage }) => {
    await openCold(agents);
    for (const name of DEMO_AGENTS) await expect(agents.agentLink(name)).toBeVisible();

    const href = await agents.agentLink("ticket-router").getAttribute("href");
    const agentId = /\/agents\/([^/?#]+)/.exec(href ?? "")?.[1];
    if (!agentId) throw new Error("the registry does not link ticket-router");
    const ticketRouter = agentPage(agentId);
    const agent = await openCold(ticketRouter);
    await expect(agent.getByRole("heading", { name: "ticket-router", level: 1 })).toBeVisible();
    await expect(agent.getByText("Team IT · AutoGen")).toBeVisible();
    await expect(
      ticketRouter
        .instances("ticket-router")
        .getByRole("cell", { name: /^ticket-router-\d+$/ })
        .first(),
    ).toBeVisible();
  });

  test("the events page lists events, newest first, with their agents", async ({ events }) => {
    await openCold(events, { type: "llm_call" });
    await expect(events.events().getByRole("row").nth(1)).toContainText("llm_call");
    await expect(events.shown()).toBeVisible();
  });

  test("budgets, routing, policies and rollouts show their records", async ({ budgets, routing, policies, rollouts }) => {
    await openCold(budgets);
    await expect(budgets.budget("doc-classifier")).toContainText("$1.00");

    await openCold(routing);
    for (const taskType of ["classification", "analysis", "generation"]) await expect(routing.rules().getByRole("cell", { name: taskType, exact: true })).toBeVisible();
    await expect(routing.modelRegistry().getByRole("cell", { name: "gpt-5-mini", exact: true })).toBeVisible();

    await openCold(policies);
    await expect(policies.agentPolicies()).toContainText("No agent deletes records");

    // The demo's canary of ticket-router runs, or (once another spec rolled it back) is among the past ones.
    const rolloutsMain = await openCold(rollouts);
    await expect(rolloutsMain.getByText(/ticket-router/).first()).toBeVisible();
  });

  test("compliance, audit, alerts, approvals and kill switches show theirs", async ({ compliance, audit, alerts, approvals, killSwitches }) => {
    await openCold(compliance);
    await expect(compliance.coverage().getByRole("link", { name: "support-chatbot" })).toBeVisible();

    const auditMain = await openCold(audit, { action: "org.created" });
    await expect(auditMain.getByText(/^Chain verified: \d+ entries/)).toBeVisible();
    await expect(auditMain.getByRole("table", { name: "Audit entries, newest first" })).toContainText("org.created");

    await openCold(alerts, { status: "all" });
    await expect(alerts.alerts().getByRole("listitem").first()).toBeVisible();

    await openCold(approvals);
    await expect(approvals.history()).toBeVisible();

    await openCold(killSwitches);
    await expect(killSwitches.engagedHeading()).toBeVisible();
    await expect(killSwitches.target()).toHaveValue("Acme Corp");
  });

  test("settings shows the organisation, its teams and its members", async ({ settings }) => {
    await openCold(settings);
    await expect(settings.orgName()).toHaveValue("Acme Corp");

    await openCold(settings, { tab: "teams" });
    for (const team of ["Marketing", "Finance", "IT", "Customer Service"]) await expect(settings.team(team)).toBeVisible();

    await openCold(settings, { tab: "members" });
    await expect(settings.members()).toContainText("owner@acme.test");
  });
});

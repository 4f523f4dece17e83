// Pages paint with data: the server renders each console page with its data in the HTML, so a
// page opened cold shows it before (and without) any script. These tests open every main page
// in a browser with JavaScript turned off and find the page's own data in it.
import type { Page } from "@playwright/test";
import { expect, signedInAs, test } from "./fixtures";

const DEMO_AGENTS = ["content-writer", "reconciliation-agent", "financial-analyst", "ticket-router", "doc-classifier", "support-chatbot"];

/** The page as the server sent it: the data is there, and nothing is still loading. */
async function openCold(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  const main = page.getByRole("main");
  // Every loading state says "Loading …" to screen readers; a page that painted with data has none.
  await expect(main.getByText(/^Loading .*…$/)).toHaveCount(0);
  return main;
}

test.describe("a console page opened with JavaScript off", () => {
  signedInAs("owner");
  test.use({ javaScriptEnabled: false });

  test("the overview shows the month's spend, the agents and the top spenders", async ({ page }) => {
    const main = await openCold(page, "/acme");
    await expect(main.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await expect(main.getByText("Spend this month")).toBeVisible();
    await expect(main.getByRole("table", { name: "Top spenders this month" }).getByRole("link", { name: "financial-analyst" })).toBeVisible();
    await expect(main.getByText(/Audit chain verified · \d+ entries/)).toBeVisible();
  });

  test("the agent registry lists the demo agents, and an agent's page shows its record and instances", async ({ page }) => {
    const main = await openCold(page, "/acme/agents");
    const registry = main.getByRole("table", { name: "Agents in the registry" });
    for (const name of DEMO_AGENTS) await expect(registry.getByRole("link", { name, exact: true })).toBeVisible();

    const href = await registry.getByRole("link", { name: "ticket-router", exact: true }).getAttribute("href");
    if (!href) throw new Error("the registry does not link ticket-router");
    const agent = await openCold(page, href);
    await expect(agent.getByRole("heading", { name: "ticket-router", level: 1 })).toBeVisible();
    await expect(agent.getByText("Team IT · AutoGen")).toBeVisible();
    await expect(agent.getByRole("table", { name: "Instances of ticket-router" }).getByRole("cell", { name: /^ticket-router-\d+$/ }).first()).toBeVisible();
  });

  test("the events page lists events, newest first, with their agents", async ({ page }) => {
    const main = await openCold(page, "/acme/events?type=llm_call");
    const events = main.getByRole("table", { name: /^Events, newest first/ });
    await expect(events.getByRole("row").nth(1)).toContainText("llm_call");
    await expect(main.getByText(/^Showing \d+ events?/)).toBeVisible();
  });

  test("budgets, routing, policies and rollouts show their records", async ({ page }) => {
    let main = await openCold(page, "/acme/budgets");
    await expect(main.getByRole("table", { name: "Budgets" }).getByRole("row", { name: /doc-classifier/ })).toContainText("$1.00");

    main = await openCold(page, "/acme/routing");
    const rules = main.getByRole("table", { name: "Routing rules" });
    for (const taskType of ["classification", "analysis", "generation"]) await expect(rules.getByRole("cell", { name: taskType, exact: true })).toBeVisible();
    await expect(main.getByRole("table", { name: "Model registry" }).getByRole("cell", { name: "gpt-5-mini", exact: true })).toBeVisible();

    main = await openCold(page, "/acme/policies");
    await expect(main.getByRole("table", { name: "Agent policies" })).toContainText("No agent deletes records");

    // The demo's canary of ticket-router runs, or (once another spec rolled it back) is among the past ones.
    main = await openCold(page, "/acme/rollouts");
    await expect(main.getByText(/ticket-router/).first()).toBeVisible();
  });

  test("compliance, audit, alerts, approvals and kill switches show theirs", async ({ page }) => {
    let main = await openCold(page, "/acme/compliance");
    await expect(main.getByRole("table", { name: /Coverage of controls by agent/ }).getByRole("link", { name: "support-chatbot" })).toBeVisible();

    main = await openCold(page, "/acme/audit?action=org.created");
    await expect(main.getByText(/^Chain verified: \d+ entries/)).toBeVisible();
    await expect(main.getByRole("table", { name: "Audit entries, newest first" })).toContainText("org.created");

    main = await openCold(page, "/acme/alerts?status=all");
    await expect(main.getByRole("list", { name: "Alerts" }).getByRole("listitem").first()).toBeVisible();

    main = await openCold(page, "/acme/approvals");
    await expect(main.getByRole("table", { name: "Decided and expired approval requests" })).toBeVisible();

    main = await openCold(page, "/acme/kill-switches");
    await expect(main.getByRole("heading", { name: /^Engaged \(\d+\)$/ })).toBeVisible();
    await expect(main.getByRole("textbox", { name: "Target", exact: true })).toHaveValue("Acme Corp");
  });

  test("settings shows the organisation, its teams and its members", async ({ page }) => {
    let main = await openCold(page, "/acme/settings");
    await expect(main.getByLabel("Organisation name")).toHaveValue("Acme Corp");

    main = await openCold(page, "/acme/settings?tab=teams");
    for (const team of ["Marketing", "Finance", "IT", "Customer Service"]) await expect(main.getByRole("cell", { name: team, exact: true })).toBeVisible();

    main = await openCold(page, "/acme/settings?tab=members");
    await expect(main.getByRole("table", { name: "Members" })).toContainText("owner@acme.test");
  });
});

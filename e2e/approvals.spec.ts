// The approval loop as people and agents live it: support-chatbot asks to refund 250, waits with
// the SDK, and a compliance officer decides in the console. Every test uses its own order id, so
// parallel tests (and loop detection, which counts identical calls) never see each other's requests.
import type { Page } from "@playwright/test";
import { AgentryClient } from "../sdk";
import { demoFile, expect, signedInAs, test, withDatabase } from "./fixtures";

function agent(baseURL: string | undefined): AgentryClient {
  const apiKey = demoFile().agentKeys["support-chatbot"];
  if (!baseURL || !apiKey) throw new Error("the demo has no key for support-chatbot");
  return new AgentryClient({ baseUrl: baseURL, apiKey, flushIntervalMs: 60_000 });
}

const uniqueOrder = () => `E2E-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/** support-chatbot asks to refund 250 on `orderId`: the demo's policy answers require_approval. */
async function askForRefund(client: AgentryClient, orderId: string): Promise<string> {
  const answer = await client.decide({ action: { type: "tool", name: "issue_refund", arguments: { amount: 250, orderId } } });
  expect(answer.decision).toBe("require_approval");
  expect(answer.reasons.map((reason) => reason.code)).toContain("approval_required");
  if (!answer.approvalId) throw new Error("require_approval came without an approvalId");
  return answer.approvalId;
}

function requestCard(page: Page, orderId: string) {
  return page.getByRole("article").filter({ hasText: orderId });
}

test.describe("a compliance officer", () => {
  signedInAs("compliance");
  // Two parties (the agent over HTTP, a person in the browser) and a long poll: more than one page's work.
  test.slow();

  test("approves a refund the agent is waiting for; the agent's wait resolves approved", async ({ page, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    const approvalId = await askForRefund(client, orderId);
    const waiting = client.waitForApproval(approvalId, { timeoutMs: 60_000, pollMs: 20_000 });

    await page.goto("/acme/approvals");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Approvals", exact: true })).toHaveAttribute("aria-current", "page");
    const card = requestCard(page, orderId);
    await expect(card.getByRole("heading")).toContainText("support-chatbot wants to call tool issue_refund");
    await expect(card.getByRole("definition").filter({ hasText: orderId })).toBeVisible();
    await expect(card.getByText("250", { exact: true })).toBeVisible();
    await expect(card.getByRole("link", { name: "Refunds above 100 need approval" })).toBeVisible();
    await expect(card.getByText(/left\)$/)).toBeVisible();

    await card.getByLabel(/Note/).fill("Customer verified by phone");
    await card.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Approved support-chatbot's request to call tool issue_refund" })).toBeVisible();
    await expect(card).toHaveCount(0);

    const decided = await waiting;
    expect(decided).toMatchObject({ status: "approved", decidedBy: "compliance@acme.test" });
    expect(Date.parse(decided.decidedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);

    const row = page.getByRole("row").filter({ hasText: orderId });
    await expect(row).toContainText("Approved by compliance@acme.test — “Customer verified by phone”");
    await client.close();
  });

  test("denies one: the agent's wait resolves denied", async ({ page, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    const approvalId = await askForRefund(client, orderId);
    const waiting = client.waitForApproval(approvalId, { timeoutMs: 60_000, pollMs: 20_000 });

    await page.goto("/acme/approvals");
    const card = requestCard(page, orderId);
    await card.getByLabel(/Note/).fill("Refund already issued by hand");
    await card.getByRole("button", { name: "Deny" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Denied support-chatbot's request" })).toBeVisible();
    expect(await waiting).toMatchObject({ status: "denied", decidedBy: "compliance@acme.test" });

    await page.getByLabel("Outcome").selectOption("denied");
    await expect(page.getByRole("row").filter({ hasText: orderId })).toContainText("Denied by compliance@acme.test");
    await client.close();
  });

  test("cannot approve a request that expired while the page was open: a clear refusal, and it moves to history", async ({ page, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    const approvalId = await askForRefund(client, orderId);

    await page.goto("/acme/approvals");
    const card = requestCard(page, orderId);
    await expect(card.getByRole("button", { name: "Approve" })).toBeEnabled();
    // Its 30 minutes pass (the sweep has not run yet): the server still refuses.
    await withDatabase((db) => db.query("UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1", [approvalId]));
    await card.getByRole("button", { name: "Approve" }).click();

    const refusal = page.getByRole("alert").filter({ hasText: "Could not decide support-chatbot's request" });
    await expect(refusal).toContainText(/expired at .* can no longer be approved or denied; the agent has to ask again/);
    await expect(card).toHaveCount(0);
    await page.getByLabel("Outcome").selectOption("expired");
    await expect(page.getByRole("row").filter({ hasText: orderId })).toContainText("Expired");

    expect(await client.waitForApproval(approvalId, { timeoutMs: 5_000 })).toEqual({ status: "expired" });
    const stored = await withDatabase((db) => db.query<{ decided_at: Date | null }>("SELECT decided_at FROM approvals WHERE id = $1", [approvalId]));
    expect(stored.rows[0]?.decided_at).toBeNull();
    await client.close();
  });

  test("sees a request expire on screen: the buttons give way to an explanation", async ({ page, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    await askForRefund(client, orderId);

    // The browser's clock, not the server's, runs 31 minutes ahead: the page notices by itself.
    await page.clock.install();
    await page.goto("/acme/approvals");
    const card = requestCard(page, orderId);
    await expect(card.getByRole("button", { name: "Approve" })).toBeVisible();
    await page.clock.fastForward("31:00");
    await expect(card.getByText("This request has expired")).toBeVisible();
    await expect(card.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await client.close();
  });
});

test.describe("the Marketing team lead", () => {
  signedInAs("marketingLead");

  test("does not see Customer Service's requests", async ({ page, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    await askForRefund(client, orderId);
    await page.goto("/acme/approvals");
    await expect(page.getByRole("heading", { name: "Waiting for a decision" })).toBeVisible();
    await expect(page.getByText("Loading the queue")).toHaveCount(0);
    await expect(requestCard(page, orderId)).toHaveCount(0);
    await client.close();
  });
});

test.describe("the CIO (viewer)", () => {
  signedInAs("viewer");

  test("is told approvals are not theirs to decide", async ({ page }) => {
    await page.goto("/acme/approvals");
    await expect(page.getByText("Your role (Viewer) does not decide approvals")).toBeVisible();
  });
});

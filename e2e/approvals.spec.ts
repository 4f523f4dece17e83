// The approval loop as people and agents live it: support-chatbot asks to refund 250, waits with
// the SDK, and a compliance officer decides in the console. Every test uses its own order id, so
// parallel tests (and loop detection, which counts identical calls) never see each other's requests.
import { AgentryClient } from "../sdk";
import { demoFile, expect, expireApprovalNow, signedInAs, test } from "./fixtures";
import { approvalDecidedAt } from "./stored";

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

test.describe("a compliance officer", () => {
  signedInAs("compliance");
  // Two parties (the agent over HTTP, a person in the browser) and a long poll: more than one page's work.
  test.slow();

  test("approves a refund the agent is waiting for; the agent's wait resolves approved", async ({ approvals, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    const approvalId = await askForRefund(client, orderId);
    const waiting = client.waitForApproval(approvalId, { timeoutMs: 60_000, pollMs: 20_000 });

    await approvals.goto();
    await expect(approvals.navLink("Approvals")).toHaveAttribute("aria-current", "page");
    const request = approvals.request(orderId);
    await expect(request.getByRole("heading")).toContainText("support-chatbot wants to call tool issue_refund");
    await expect(request.getByRole("definition").filter({ hasText: orderId })).toBeVisible();
    await expect(request.getByText("250", { exact: true })).toBeVisible();
    await expect(request.getByRole("link", { name: "Refunds above 100 need approval" })).toBeVisible();
    await expect(request.getByText(/left\)$/)).toBeVisible();

    await approvals.approve(orderId, "Customer verified by phone");
    await expect(approvals.notice("Approved support-chatbot's request to call tool issue_refund")).toBeVisible();
    await expect(request).toHaveCount(0);

    const decided = await waiting;
    expect(decided).toMatchObject({ status: "approved", decidedBy: "compliance@acme.test" });
    expect(Date.parse(decided.decidedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);

    await expect(approvals.decided(orderId)).toContainText("Approved by compliance@acme.test — “Customer verified by phone”");
    await client.close();
  });

  test("denies one: the agent's wait resolves denied", async ({ approvals, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    const approvalId = await askForRefund(client, orderId);
    const waiting = client.waitForApproval(approvalId, { timeoutMs: 60_000, pollMs: 20_000 });

    await approvals.goto();
    await approvals.deny(orderId, "Refund already issued by hand");
    await expect(approvals.notice("Denied support-chatbot's request")).toBeVisible();
    expect(await waiting).toMatchObject({ status: "denied", decidedBy: "compliance@acme.test" });

    await approvals.showHistory("denied");
    await expect(approvals.decided(orderId)).toContainText("Denied by compliance@acme.test");
    await client.close();
  });

  test("cannot approve a request that expired while the page was open: a clear refusal, and it moves to history", async ({ approvals, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    const approvalId = await askForRefund(client, orderId);

    await approvals.goto();
    await expect(approvals.approveButton(orderId)).toBeEnabled();
    // Its 30 minutes pass (the sweep has not run yet): the server still refuses.
    await expireApprovalNow(approvalId);
    await approvals.approve(orderId);

    const refusal = approvals.alertMessage("Could not decide support-chatbot's request");
    await expect(refusal).toContainText(/expired at .* can no longer be approved or denied; the agent has to ask again/);
    await expect(approvals.request(orderId)).toHaveCount(0);
    await approvals.showHistory("expired");
    await expect(approvals.decided(orderId)).toContainText("Expired");

    expect(await client.waitForApproval(approvalId, { timeoutMs: 5_000 })).toEqual({ status: "expired" });
    expect(await approvalDecidedAt(approvalId)).toBeNull();
    await client.close();
  });

  test("sees a request expire on screen: the buttons give way to an explanation", async ({ page, approvals, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    await askForRefund(client, orderId);

    // The browser's clock, not the server's, runs 31 minutes ahead: the page notices by itself.
    await page.clock.install();
    await approvals.goto();
    const request = approvals.request(orderId);
    await expect(approvals.approveButton(orderId)).toBeVisible();
    await page.clock.fastForward("31:00");
    await expect(request.getByText("This request has expired")).toBeVisible();
    await expect(approvals.approveButton(orderId)).toHaveCount(0);
    await client.close();
  });
});

test.describe("the Marketing team lead", () => {
  signedInAs("marketingLead");

  test("does not see Customer Service's requests", async ({ approvals, baseURL }) => {
    const client = agent(baseURL);
    const orderId = uniqueOrder();
    await askForRefund(client, orderId);
    await approvals.goto();
    await expect(approvals.queueHeading()).toBeVisible();
    await expect(approvals.loading()).toHaveCount(0);
    await expect(approvals.request(orderId)).toHaveCount(0);
    await client.close();
  });
});

test.describe("the CIO (viewer)", () => {
  signedInAs("viewer");

  test("is told approvals are not theirs to decide", async ({ approvals }) => {
    await approvals.goto();
    await expect(approvals.roleRefusal("Your role (Viewer) does not decide approvals")).toBeVisible();
  });
});

// Approvals end to end below the browser: a require_approval opens a request (with its alert), a
// person decides it through the console's procedure (audited in the same transaction), the agent
// reads and long-polls it through GET /api/v1/approvals/:id, expiry is refused and swept, and an
// approval authorises exactly one matching action.
import { beforeAll, describe, expect, test } from "vitest";
import { openApproval, sweepExpiredApprovals } from "../../server/data/approvals";
import { forgetFacts } from "../../server/data/facts";
import { getPool, inTransaction } from "../../server/db/pool";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { agentApiUrl, decideAt } from "./agent-api";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

interface Agent {
  id: string;
  teamId: string | null;
  key: string;
}

async function createAgent(org: TestOrg, name: string, teamId: string | null): Promise<Agent> {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId } });
  const key = generateApiKey();
  await testDb().apiKey.create({ data: { orgId: org.id, kind: "agent", agentId: agent.id, name: "test", prefix: key.prefix, hash: key.hash } });
  return { id: agent.id, teamId, key: key.key };
}

async function open(org: TestOrg, agent: Agent, options: { ttlMs?: number; arguments?: unknown } = {}) {
  return inTransaction(getPool(), (client) =>
    openApproval(client, {
      orgId: org.id,
      agentId: agent.id,
      teamId: agent.teamId,
      decisionId: crypto.randomUUID(),
      actionType: "tool",
      actionName: "issue_refund",
      arguments: options.arguments ?? { amount: 250, email: "[REDACTED:email]" },
      policyIds: [],
      reason: "Refunds above 100 need a person.",
      ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
    }),
  );
}

/** Pushes a request's expiry into the past, as if its 30 minutes had gone by. */
async function expire(id: string) {
  await testDb().approval.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
}

async function get(agentKey: string | null, id: string, query = "", signal?: AbortSignal) {
  try {
    const response = await fetch(`${await agentApiUrl()}/api/v1/approvals/${id}${query}`, {
      headers: agentKey ? { authorization: `Bearer ${agentKey}` } : {},
      ...(signal ? { signal } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch (error) {
    if ((error as Error).name === "AbortError") return { status: 0, body: { aborted: true } as Record<string, unknown> };
    throw error;
  }
}

describe("approvals", () => {
  let org: TestOrg;
  let support: Agent; // in the team lead's team
  let finance: Agent; // in another team
  let ingestKey: string;

  beforeAll(async () => {
    org = await createTestOrg();
    support = await createAgent(org, "support-chatbot", org.leadTeamId);
    finance = await createAgent(org, "reconciliation-agent", org.otherTeamId);
    const key = generateApiKey();
    await testDb().apiKey.create({ data: { orgId: org.id, kind: "ingest", name: "collector", prefix: key.prefix, hash: key.hash } });
    ingestKey = key.key;
  });

  test("opening a request stores it for 30 minutes and raises an approval_requested alert", async () => {
    const before = Date.now();
    const { id, expiresAt } = await open(org, support);
    expect(expiresAt.getTime() - before).toBeGreaterThan(29.9 * 60_000);
    expect(expiresAt.getTime() - before).toBeLessThan(30.1 * 60_000);
    const alert = await testDb().alert.findFirstOrThrow({ where: { orgId: org.id, kind: "approval_requested", agentId: support.id }, orderBy: { createdAt: "desc" } });
    expect(alert.title).toBe("support-chatbot asks for approval: tool issue_refund");
    expect(alert.details).toMatchObject({ approvalId: id, arguments: { amount: 250, email: "[REDACTED:email]" } });
    expect(await get(support.key, id)).toEqual({ status: 200, body: { status: "pending" } });
  });

  test("the agent waits; a compliance officer approves; the wait ends at once with who and when", async () => {
    const { id } = await open(org, support);
    const started = Date.now();
    const waiting = get(support.key, id, "?waitMs=20000");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const compliance = callerFor(org.users.compliance.userId);
    const decided = await compliance.approvals.decide({ orgId: org.id, approvalId: id, decision: "approve", note: "Customer is genuine" });
    const answer = await waiting;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer).toEqual({ status: 200, body: { status: "approved", decidedBy: org.users.compliance.email, decidedAt: decided.decidedAt.toISOString() } });

    // Audited in the decision's transaction, with the note and the action.
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id, targetId: id } });
    expect(entry).toMatchObject({ action: "approval.approved", actorId: org.users.compliance.userId, teamId: org.leadTeamId, reason: "Customer is genuine" });
    expect(entry.after).toMatchObject({ status: "approved", action: { type: "tool", name: "issue_refund", arguments: { amount: 250 } } });
  });

  test("a denial is an answer too; deciding it again is refused and changes nothing", async () => {
    const { id } = await open(org, support);
    const lead = callerFor(org.users.team_lead.userId);
    await lead.approvals.decide({ orgId: org.id, approvalId: id, decision: "deny", note: "Not this one" });
    expect((await get(support.key, id, "?waitMs=5000")).body).toMatchObject({ status: "denied", decidedBy: org.users.team_lead.email });

    const auditBefore = await testDb().auditEntry.count({ where: { orgId: org.id } });
    const again = callerFor(org.users.owner.userId).approvals.decide({ orgId: org.id, approvalId: id, decision: "approve" });
    await expect(again).rejects.toThrow(/already denied by .* a decision cannot be changed/);
    expect(await errorCode(callerFor(org.users.owner.userId).approvals.decide({ orgId: org.id, approvalId: id, decision: "approve" }))).toBe("CONFLICT");
    expect(await testDb().auditEntry.count({ where: { orgId: org.id } })).toBe(auditBefore);
    expect((await testDb().approval.findUniqueOrThrow({ where: { id } })).status).toBe("denied");
  });

  test("a team lead cannot decide another team's request, nor see it", async () => {
    const { id } = await open(org, finance);
    const lead = callerFor(org.users.team_lead.userId);
    expect(await errorCode(lead.approvals.decide({ orgId: org.id, approvalId: id, decision: "approve" }))).toBe("FORBIDDEN");
    expect((await testDb().approval.findUniqueOrThrow({ where: { id } })).status).toBe("pending");
    const queue = await lead.approvals.list({ orgId: org.id, view: "pending" });
    expect(queue.items.map((item) => item.agent.name)).not.toContain("reconciliation-agent");
    expect(queue.items.every((item) => item.team?.id === org.leadTeamId)).toBe(true);
    const all = await callerFor(org.users.compliance.userId).approvals.list({ orgId: org.id, view: "pending" });
    expect(all.items.map((item) => item.id)).toContain(id);
    expect(await errorCode(lead.approvals.list({ orgId: org.id, view: "pending", teamId: org.otherTeamId }))).toBe("FORBIDDEN");
  });

  test("an expired request, even one the sweep has not reached, cannot be approved; the sweep then marks and audits it", async () => {
    const { id } = await open(org, support);
    await expire(id);
    const owner = callerFor(org.users.owner.userId);
    await expect(owner.approvals.decide({ orgId: org.id, approvalId: id, decision: "approve" })).rejects.toThrow(/expired at .* can no longer be approved/);
    expect((await get(support.key, id)).body).toEqual({ status: "expired" });
    const history = await owner.approvals.list({ orgId: org.id, view: "history", status: "expired" });
    expect(history.items.find((item) => item.id === id)?.status).toBe("expired");
    expect((await owner.approvals.list({ orgId: org.id, view: "pending" })).items.map((item) => item.id)).not.toContain(id);

    expect(await sweepExpiredApprovals()).toBeGreaterThanOrEqual(1);
    expect((await testDb().approval.findUniqueOrThrow({ where: { id } })).status).toBe("expired");
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id, targetId: id } });
    expect(entry).toMatchObject({ action: "approval.expired", actorType: "system" });
    expect((await owner.audit.verify({ orgId: org.id })).ok).toBe(true);
  });

  test("a wait ends when the request expires, answering expired", async () => {
    const { id } = await open(org, support);
    await testDb().approval.update({ where: { id }, data: { expiresAt: new Date(Date.now() + 700) } });
    const started = Date.now();
    expect((await get(support.key, id, "?waitMs=10000")).body).toEqual({ status: "expired" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("a wait with nothing decided returns pending after waitMs; the client going away ends it early", async () => {
    const { id } = await open(org, support);
    let started = Date.now();
    expect((await get(support.key, id, "?waitMs=600")).body).toEqual({ status: "pending" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);

    // The client goes away: the server stops waiting (the long poll holds nothing open after it).
    const controller = new AbortController();
    started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const answer = await get(support.key, id, "?waitMs=30000", controller.signal);
    expect(answer.body).toEqual({ aborted: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("only the agent that asked may read it: others get 404, an ingest key 403, no key 401; a bad waitMs 400", async () => {
    const { id } = await open(org, support);
    expect(await get(finance.key, id)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await get(support.key, crypto.randomUUID())).toMatchObject({ status: 404 });
    expect(await get(support.key, "not-a-uuid")).toMatchObject({ status: 404 });
    expect(await get(ingestKey, id)).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(await get(null, id)).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await get(support.key, id, "?waitMs=60001")).toMatchObject({ status: 400, body: { error: { code: "invalid_request", details: [{ path: "waitMs" }] } } });
    expect(await get(support.key, id, "?waitMs=soon")).toMatchObject({ status: 400 });
  });

  test("an approval authorises exactly one matching action, by the agent that asked", async () => {
    await testDb().policy.create({
      data: { orgId: org.id, name: "refunds need a person", status: "enforced", cedar: '@approval("true")\npermit (principal, action == Action::"tool", resource == Tool::"issue_refund");' },
    });
    forgetFacts(org.id);
    const { id } = await open(org, support, { arguments: { amount: 250 } });
    const use = async (agentId: string, args: Record<string, unknown>) => {
      const answer = await decideAt(org.id, agentId, { action: { type: "tool", name: "issue_refund", arguments: args }, approvalId: id }, new Date());
      return { decision: answer.decision, code: answer.reasons[0]?.code };
    };
    expect(await use(support.id, { amount: 250 })).toEqual({ decision: "deny", code: "approval_pending" });
    await callerFor(org.users.compliance.userId).approvals.decide({ orgId: org.id, approvalId: id, decision: "approve" });
    expect(await use(finance.id, { amount: 250 })).toEqual({ decision: "deny", code: "approval_not_found" });
    // Refusals do not use it up; the matching action does, once.
    expect(await use(support.id, { amount: 2500 })).toEqual({ decision: "deny", code: "approval_mismatch" });
    expect((await testDb().approval.findUniqueOrThrow({ where: { id } })).usedAt).toBeNull();
    const [first, second] = await Promise.all([use(support.id, { amount: 250 }), use(support.id, { amount: 250 })]);
    expect([first, second].filter((answer) => answer.decision === "allow")).toEqual([{ decision: "allow", code: "approved" }]);
    expect([first, second].filter((answer) => answer.decision === "deny")).toEqual([{ decision: "deny", code: "approval_used" }]);
    const stored = await testDb().approval.findUniqueOrThrow({ where: { id } });
    expect(stored.usedAt).not.toBeNull();
    const listed = await callerFor(org.users.owner.userId).approvals.list({ orgId: org.id, view: "history", status: "approved" });
    expect(listed.items.find((item) => item.id === id)?.usedAt).toEqual(stored.usedAt);
  });

  test("the badge counts what waits in the caller's reach", async () => {
    const fresh = await createTestOrg();
    const mine = await createAgent(fresh, "a", fresh.leadTeamId);
    const theirs = await createAgent(fresh, "b", fresh.otherTeamId);
    await open(fresh, mine);
    await open(fresh, theirs);
    const expired = await open(fresh, theirs);
    await expire(expired.id);
    expect(await callerFor(fresh.users.compliance.userId).approvals.pendingCount({ orgId: fresh.id })).toBe(2);
    expect(await callerFor(fresh.users.team_lead.userId).approvals.pendingCount({ orgId: fresh.id })).toBe(1);
  });
});

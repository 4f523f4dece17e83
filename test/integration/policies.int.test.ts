// Agent policies against the real database: the demo org's seed policies give the answers
// docs/demo.md promises, invalid Cedar changes nothing, and every process's cache follows changes.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { seedPolicies } from "../../prisma/seed/policies";
import { notifyChange, whenListening } from "../../server/db/notify";
import { getPool } from "../../server/db/pool";
import { evaluatePolicies, orgDefaultDecision, type PolicyRequest } from "../../server/policy/engine";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

let org: TestOrg;
const agents = new Map<string, { id: string; name: string; teamId: string; teamName: string; tags: string[]; riskClass: string | null }>();

async function addAgent(name: string, teamName: string, fields: { tags?: string[]; tools?: string[]; riskClass?: string | null; dataCategories?: string[] }) {
  const team = org.teams.find((candidate) => candidate.name === teamName);
  if (!team) throw new Error(`no team ${teamName}`);
  const agent = await testDb().agent.create({
    data: { orgId: org.id, name, teamId: team.id, status: "active", tags: fields.tags ?? [], tools: fields.tools ?? [], riskClass: fields.riskClass ?? null, dataCategories: fields.dataCategories ?? [] },
  });
  agents.set(name, { id: agent.id, name, teamId: team.id, teamName, tags: agent.tags, riskClass: agent.riskClass });
}

function ask(agentName: string, type: PolicyRequest["action"]["type"], name: string, args: Record<string, unknown> = {}, dataClasses: string[] = []): PolicyRequest {
  const agent = agents.get(agentName);
  if (!agent) throw new Error(`no agent ${agentName}`);
  return { agent, action: { type, name, arguments: args }, dataClasses, estimatedCostUsd: null, now: new Date() };
}

beforeAll(async () => {
  org = await createTestOrg();
  await addAgent("support-chatbot", "Customer Service", { tags: ["external-facing", "high-risk"], tools: ["order_lookup", "issue_refund", "kb_search", "delete_records"], dataCategories: ["PII", "PCI"] });
  await addAgent("reconciliation-agent", "Finance", { tags: ["sox"], tools: ["ledger_query", "delete_records"] });
  await addAgent("access-reviewer", "IT", { riskClass: "high", tools: ["idp_list_groups"] });
  await addAgent("ticket-router", "IT", { tools: ["ticket_read"] });
  await testDb().$transaction((tx) => seedPolicies(tx, { orgId: org.id, system: { type: "system", id: null, label: "system" } }));
});

describe("the seed policies", () => {
  test("support-chatbot: a refund of 250 needs approval, one of 50 is allowed", async () => {
    const big = await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 250 }));
    expect(big.effect).toBe("require_approval");
    expect(big.reasons.map((reason) => reason.code)).toEqual(["approval_required"]);
    const refundPolicy = await testDb().policy.findFirstOrThrow({ where: { orgId: org.id, name: "Refunds above 100 need approval" } });
    expect(big.policyIds).toEqual([refundPolicy.id]);

    const small = await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 50 }));
    expect(small.effect).toBe("allow");
    expect(small.reasons.map((reason) => reason.code)).toEqual(["policy_allowed"]);
    // Money as a decimal string counts too.
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: "100.01" }))).effect).toBe("require_approval");
  });

  test("delete_records is denied for everyone, even agents that registered it", async () => {
    for (const name of ["support-chatbot", "reconciliation-agent", "ticket-router"]) {
      const outcome = await evaluatePolicies(org.id, ask(name, "tool", "delete_records"));
      expect(outcome.effect, name).toBe("deny");
      expect(outcome.reasons[0]?.code).toBe("policy_denied");
    }
  });

  test("PCI data for high-risk agents (by tag or by risk class) needs approval; others are not asked", async () => {
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "order_lookup", {}, ["PCI"]))).effect).toBe("require_approval");
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "data", "PCI"))).effect).toBe("require_approval");
    expect((await evaluatePolicies(org.id, ask("access-reviewer", "tool", "idp_list_groups", {}, ["PCI"]))).effect).toBe("require_approval");
    expect((await evaluatePolicies(org.id, ask("ticket-router", "tool", "ticket_read", {}, ["PCI"]))).effect).toBe("allow");
  });

  test("models through routing are allowed for every agent", async () => {
    expect((await evaluatePolicies(org.id, ask("ticket-router", "model", "auto"))).effect).toBe("allow");
  });

  test("an agent with no matching permit gets no match, and the org default is deny", async () => {
    const outcome = await evaluatePolicies(org.id, ask("ticket-router", "tool", "issue_refund", { amount: 5 }));
    expect(outcome.effect).toBe("no_match");
    expect(outcome.policyIds).toEqual([]);
    expect(await orgDefaultDecision(org.id)).toBe("deny");
  });
});

describe("changes through the console", () => {
  test("invalid Cedar is refused with its line, and the enforced set stays as it was", async () => {
    const owner = callerFor(org.users.owner.userId);
    const before = await testDb().policy.count({ where: { orgId: org.id } });
    const auditBefore = await testDb().auditEntry.count({ where: { orgId: org.id } });
    const refused = owner.policies.create({ orgId: org.id, name: "Broken", source: { kind: "cedar", cedar: "permit (principal, action, resource)\n  when { context.amount > };" }, enforce: true });
    await expect(refused).rejects.toThrow(/Line 2, column 27/);
    const wrongSchema = owner.policies.create({ orgId: org.id, name: "Broken", source: { kind: "cedar", cedar: "forbid (principal, action, resource) when { principal.salary > 1 };" }, enforce: true });
    await expect(wrongSchema).rejects.toThrow(/Line 1, column 45: .*salary/);

    const refund = await testDb().policy.findFirstOrThrow({ where: { orgId: org.id, name: "Refunds above 100 need approval" } });
    expect(await errorCode(owner.policies.update({ orgId: org.id, policyId: refund.id, name: refund.name, source: { kind: "cedar", cedar: "permit (" } }))).toBe("BAD_REQUEST");

    expect(await testDb().policy.count({ where: { orgId: org.id } })).toBe(before);
    expect(await testDb().auditEntry.count({ where: { orgId: org.id } })).toBe(auditBefore);
    expect((await testDb().policy.findUniqueOrThrow({ where: { id: refund.id } })).cedar).toBe(refund.cedar);
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 250 }))).effect).toBe("require_approval");

    const validation = await owner.policies.validate({ orgId: org.id, source: { kind: "cedar", cedar: "permit (principal, action, resource)\n  when { context.amount > };" } });
    expect(validation.ok).toBe(false);
    expect(validation.errors[0]).toMatchObject({ line: 2, column: 27 });
  });

  test("an edit takes effect at once in this process, keeps a version and audits before and after", async () => {
    const owner = callerFor(org.users.compliance.userId);
    const refund = await testDb().policy.findFirstOrThrow({ where: { orgId: org.id, name: "Refunds above 100 need approval" } });
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 50 }))).effect).toBe("allow");
    await owner.policies.update({
      orgId: org.id,
      policyId: refund.id,
      name: refund.name,
      source: {
        kind: "form",
        form: {
          who: { kind: "agent", name: "support-chatbot" },
          action: "tool",
          resources: ["issue_refund"],
          effect: "require_approval",
          conditions: [{ kind: "number", argument: "amount", op: ">", value: "20" }],
          reason: "",
        },
      },
    });
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 50 }))).effect).toBe("require_approval");

    const detail = await owner.policies.get({ orgId: org.id, policyId: refund.id });
    expect(detail.versions.map((version) => version.version)).toEqual([2, 1]);
    expect(detail.versions[1]?.cedar).toBe(refund.cedar);
    const entry = await testDb().auditEntry.findFirstOrThrow({ where: { orgId: org.id, action: "policy.updated", targetId: refund.id } });
    expect(entry.before).toMatchObject({ cedar: refund.cedar, version: 1 });
    expect(entry.after).toMatchObject({ cedar: detail.cedar, version: 2 });
    expect(detail.cedar).toContain('decimal("20.0")');

    await owner.policies.disable({ orgId: org.id, policyId: refund.id });
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 250 }))).effect).toBe("allow");
    await owner.policies.enforce({ orgId: org.id, policyId: refund.id });
    expect((await evaluatePolicies(org.id, ask("support-chatbot", "tool", "issue_refund", { amount: 250 }))).effect).toBe("require_approval");
  });

  test("a change made by another process reaches this one's cache through NOTIFY", async () => {
    expect(await whenListening()).toBe(true);
    expect((await evaluatePolicies(org.id, ask("ticket-router", "tool", "kb_search"))).effect).toBe("no_match");
    // Another process: writes the policy and NOTIFYs, never touching this process's cache.
    await testDb().policy.create({
      data: {
        orgId: org.id,
        name: `Routers search the KB ${randomUUID().slice(0, 4)}`,
        cedar: 'permit (principal == Agent::"ticket-router", action == Action::"tool", resource == Tool::"kb_search");',
        status: "enforced",
      },
    });
    await notifyChange(getPool(), { orgId: org.id, kind: "policy" });
    let effect = "";
    for (let attempt = 0; attempt < 100 && effect !== "allow"; attempt += 1) {
      effect = (await evaluatePolicies(org.id, ask("ticket-router", "tool", "kb_search"))).effect;
      if (effect !== "allow") await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(effect).toBe("allow");
  });

  test("the org default can be set to allow by an admin, and takes effect", async () => {
    await callerFor(org.users.admin.userId).policies.setDefault({ orgId: org.id, decision: "allow" });
    expect(await orgDefaultDecision(org.id)).toBe("allow");
    await callerFor(org.users.admin.userId).policies.setDefault({ orgId: org.id, decision: "deny" });
    expect(await orgDefaultDecision(org.id)).toBe("deny");
  });
});

describe("simulate and impact", () => {
  test("simulate says what an agent would get, and which policy decided, against the enforced set or a draft", async () => {
    const viewer = callerFor(org.users.viewer.userId);
    const agent = agents.get("support-chatbot");
    if (!agent) throw new Error("no agent");
    const enforced = await viewer.policies.simulate({ orgId: org.id, agentId: agent.id, action: { type: "tool", name: "delete_records", arguments: {} } });
    expect(enforced.decision).toBe("deny");
    expect(enforced.policies.map((policy) => policy.name)).toEqual(["No agent deletes records"]);
    expect(enforced.weighedStatements).toBeLessThan(enforced.totalStatements);

    const drafted = await viewer.policies.simulate({
      orgId: org.id,
      agentId: agent.id,
      action: { type: "tool", name: "kb_search", arguments: {} },
      draft: { name: "No KB", source: { kind: "form", form: { who: { kind: "team", name: "Customer Service" }, action: "tool", resources: ["kb_search"], effect: "deny", conditions: [], reason: "" } } },
    });
    expect(drafted).toMatchObject({ against: "draft", decision: "deny", policies: [{ name: "No KB", isDraft: true }] });
  });

  test("impact replays recorded decisions against a draft and lists those that would change", async () => {
    const agent = agents.get("support-chatbot");
    if (!agent) throw new Error("no agent");
    const base = { orgId: org.id, agentId: agent.id, actionType: "tool", reasons: [], decision: "allow" as const };
    await testDb().decisionRecord.createMany({
      data: [
        { ...base, id: randomUUID(), actionName: "kb_search", at: new Date(Date.now() - 3000) },
        { ...base, id: randomUUID(), actionName: "order_lookup", at: new Date(Date.now() - 2000) },
        { ...base, id: randomUUID(), actionName: "kb_search", at: new Date(Date.now() - 1000) },
      ],
    });
    const impact = await callerFor(org.users.compliance.userId).policies.impact({
      orgId: org.id,
      limit: 10,
      draft: { name: "No KB", source: { kind: "cedar", cedar: 'forbid (principal, action == Action::"tool", resource == Tool::"kb_search");' } },
    });
    expect(impact.replayed).toBe(3);
    expect(impact.changedTotal).toBe(2);
    expect(impact.counts).toEqual({ "allow→deny": 2 });
    expect(impact.changed.every((row) => row.actionName === "kb_search" && row.now === "allow" && row.draft === "deny")).toBe(true);
  });
});

describe("team leads and policies", () => {
  test("a team lead may not simulate another team's agent, nor change policies", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const other = await testDb().agent.create({ data: { orgId: org.id, name: `other-${randomUUID().slice(0, 6)}`, teamId: org.otherTeamId, status: "active" } });
    expect(await errorCode(lead.policies.simulate({ orgId: org.id, agentId: other.id, action: { type: "tool", name: "x", arguments: {} } }))).toBe("FORBIDDEN");
    expect(await errorCode(lead.policies.create({ orgId: org.id, name: "Lead rule", source: { kind: "cedar", cedar: "forbid (principal, action, resource);" } }))).toBe("FORBIDDEN");
  });
});

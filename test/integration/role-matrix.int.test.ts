// Every tRPC procedure, called as every role: allowed or FORBIDDEN exactly as the role table
// (docs/concepts.md, "Roles") says. The expected table is written out here, from the docs, and not
// read from server/domain/access/permissions.ts, which is what is being tested.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { appRouter } from "../../server/api/root";
import { hashPassword } from "../../server/auth/password";
import type { Role } from "../../server/domain/access/permissions";
import { callerFor, createTestOrg, createTestUser, errorCode, testDb, type TestOrg, type TestUser } from "./helpers";
import { stages } from "./rollout-fixtures";

type Caller = ReturnType<typeof callerFor>;
interface Env {
  org: TestOrg;
  actor: TestUser;
}

interface Fixture {
  kind: "query" | "mutation";
  /** "org": takes { orgId } and answers only members; "user": the caller's own things. */
  scope: "org" | "user";
  /** Roles the design allows, literally. */
  allowed: readonly Role[];
  /** The audit action an allowed mutation writes, once per call (or the actions, in order, when it writes several). */
  audit?: string | readonly string[];
  /** For a mutation that stores nothing (and so writes no audit entry): why. */
  storesNothing?: string;
  /** Prepares what the call needs (directly in the database, unaudited), then makes the call. */
  run: (caller: Caller, env: Env) => Promise<unknown>;
}

const ALL: readonly Role[] = ["owner", "admin", "compliance", "team_lead", "viewer"];
// The role table: "members, roles, org settings, model registry: owner/admin".
const ADMINS: readonly Role[] = ["owner", "admin"];
// The role table: "audit log read + export: all (owner/admin), all (compliance), own teams (team lead), – (viewer)".
const AUDIT_READERS: readonly Role[] = ["owner", "admin", "compliance", "team_lead"];
// The role table: "read dashboards, agents, costs: all, all, own teams, all".
const READERS: readonly Role[] = ["owner", "admin", "compliance", "team_lead", "viewer"];
// The role table: "register / edit agents, versions, rollouts, agent keys: all (owner/admin), – (compliance), own teams (team lead), – (viewer)".
const AGENT_WRITERS: readonly Role[] = ["owner", "admin", "team_lead"];
// The role table: "API keys" are org settings of "admin / owner"; org ingest keys speak for every agent.
const INGEST_KEY_ADMINS: readonly Role[] = ["owner", "admin"];

// The role table: "budgets: all (owner/admin), – (compliance), split own team's budget among its agents (team lead), – (viewer)".
const BUDGET_WRITERS: readonly Role[] = ["owner", "admin", "team_lead"];

const PASSWORD = "current-password-for-tests";
let passwordHash = "";
let counter = 0;
const unique = (label: string) => `${label} ${++counter}-${Date.now() % 100_000}`;

/** An agent added directly (no audit), in the team lead's team unless told otherwise. */
async function extraAgent(org: TestOrg, options: { teamId?: string | null; status?: "active" | "archived" | "discovered" } = {}) {
  const agent = await testDb().agent.create({
    data: { orgId: org.id, name: unique("agent").replace(/ /g, "-"), teamId: options.teamId === undefined ? org.leadTeamId : options.teamId, status: options.status ?? "active" },
  });
  return agent.id;
}

/** A key added directly (no audit); the hash only has to be unique. */
async function extraKey(org: TestOrg, agentId: string | null) {
  const key = await testDb().apiKey.create({
    data: { orgId: org.id, kind: agentId ? "agent" : "ingest", agentId, name: unique("key"), prefix: "agt_test", hash: `test-${randomUUID()}` },
  });
  return key.id;
}

/** An event stored directly, for an agent in the team lead's team. */
async function extraEvent(org: TestOrg) {
  const agentId = await extraAgent(org);
  const event = await testDb().event.create({
    data: { orgId: org.id, agentId, eventId: unique("event"), type: "llm_call", ts: new Date(), model: "gpt-test", attributes: { note: "ok" } },
  });
  return event.id.toString();
}

/** An agent (in the lead's team unless told otherwise) and its name, to type as the kill switch's confirmation. */
async function extraNamedAgent(org: TestOrg, teamId: string = org.leadTeamId) {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name: unique("agent").replace(/ /g, "-"), teamId } });
  return { id: agent.id, name: agent.name };
}

/** An engaged agent kill switch added directly (no audit), on an agent of the lead's team unless told otherwise. */
async function extraSwitch(org: TestOrg, teamId: string = org.leadTeamId) {
  const agent = await extraNamedAgent(org, teamId);
  const sw = await testDb().killSwitch.create({ data: { orgId: org.id, scope: "agent", target: agent.id, teamId, reason: "fixture", engagedBy: "fixture" } });
  return sw.id;
}

// The role table: "kill switch: agent / team: all (owner/admin), – (compliance), own teams (team lead), – (viewer)".
const AGENT_SWITCHERS: readonly Role[] = ["owner", "admin", "team_lead"];

const agentFields = (org: TestOrg, teamId: string = org.leadTeamId) => ({
  name: unique("agent").replace(/ /g, "-"),
  description: "An agent for the role matrix",
  owner: "owner@test.invalid",
  teamId,
  framework: "LangChain",
  models: ["gpt-test"],
  tools: ["search"],
  dataCategories: ["PII" as const],
  tags: ["matrix"],
  version: "1.0.0",
  heartbeatIntervalSec: 30,
});

// The role table: "decide approvals: all (owner/admin), all (compliance), own teams (team lead), – (viewer)";
// the queue (and its history) is read with the same grant: it is the deciders' work list.
const APPROVAL_DECIDERS: readonly Role[] = ["owner", "admin", "compliance", "team_lead"];

/** A pending approval request added directly (no audit), for an agent in the team lead's team unless told otherwise. */
async function extraApproval(org: TestOrg, teamId: string = org.leadTeamId) {
  const agentId = await extraAgent(org, { teamId });
  const approval = await testDb().approval.create({
    data: {
      orgId: org.id,
      agentId,
      teamId,
      decisionId: randomUUID(),
      actionType: "tool",
      actionName: "issue_refund",
      arguments: { amount: 250 },
      expiresAt: new Date(Date.now() + 30 * 60_000),
    },
  });
  return approval.id;
}

/** An unacknowledged alert added directly (no audit), in the team lead's team unless told otherwise. */
async function extraAlert(org: TestOrg, teamId: string | null = org.leadTeamId) {
  const alert = await testDb().alert.create({ data: { orgId: org.id, kind: "loop_detected", severity: "critical", title: unique("Loop detected"), teamId } });
  return alert.id;
}

/** A webhook added directly (no audit); nothing is ever sent to it in these tests. */
async function extraWebhook(org: TestOrg) {
  const hook = await testDb().webhook.create({ data: { orgId: org.id, url: "https://hooks.example.test/matrix" } });
  return hook.id;
}

/** A budget setup added directly (no audit): the lead team's monthly budget, and an agent there with a budget of its own. */
async function extraAgentBudget(org: TestOrg) {
  const db = testDb();
  const teamKey = `team:${org.leadTeamId}`;
  await db.budget.upsert({
    where: { orgId_scopeKey_period: { orgId: org.id, scopeKey: teamKey, period: "monthly" } },
    create: { orgId: org.id, scope: "team", scopeKey: teamKey, teamId: org.leadTeamId, period: "monthly", mode: "hard", limitMicros: 1_000_000_000_000n },
    update: {},
  });
  const agentId = await extraAgent(org);
  const budget = await db.budget.create({
    data: { orgId: org.id, scope: "agent", scopeKey: `agent:${agentId}`, teamId: org.leadTeamId, agentId, period: "monthly", mode: "hard", limitMicros: 1_000_000n },
  });
  return { agentId, budgetId: budget.id };
}

/** A member added directly (no audit): something for members.update/remove to act on. */
async function extraMember(org: TestOrg, role: Role): Promise<string> {
  const db = testDb();
  const user = await createTestUser(db, `extra-${role}`);
  const membership = await db.membership.create({ data: { orgId: org.id, userId: user.userId, role } });
  return membership.id;
}

/** A pending invitation added directly (no audit): something for members.revokeInvitation to act on. */
async function extraInvitation(org: TestOrg): Promise<string> {
  const invitation = await testDb().invitation.create({
    data: {
      orgId: org.id,
      email: `${unique("pending").replace(/ /g, "-")}@test.invalid`,
      role: "viewer",
      tokenHash: `test-${randomUUID()}`,
      invitedByLabel: "fixture",
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return invitation.id;
}

// The role table: "policies (agent permissions): all (owner/admin), all (compliance), – (team lead), – (viewer)".
const POLICY_WRITERS: readonly Role[] = ["owner", "admin", "compliance"];

/** A draft policy added directly (no audit). */
async function extraPolicy(org: TestOrg, status: "draft" | "enforced" | "disabled" = "draft") {
  const policy = await testDb().policy.create({
    data: { orgId: org.id, name: unique("policy"), cedar: 'permit (principal, action == Action::"model", resource);', status },
  });
  return policy.id;
}

// The role table: "compliance tags, risk class, controls: all (owner/admin), all (compliance), – (team lead), – (viewer)".
const COMPLIANCE_WRITERS: readonly Role[] = ["owner", "admin", "compliance"];
// A row of its own in the role table: opening an incident by hand is for compliance and whoever may stop the agent.
const INCIDENT_OPENERS: readonly Role[] = ["owner", "admin", "compliance", "team_lead"];

/** An open incident added directly (no audit), on an agent of the lead's team. */
async function extraIncident(org: TestOrg) {
  const agentId = await extraAgent(org);
  const incident = await testDb().incident.create({
    data: { orgId: org.id, agentId, teamId: org.leadTeamId, title: unique("Incident"), source: "person", severity: "low", awareAt: new Date(), openedBy: "fixture" },
  });
  return incident.id;
}

/** An agent (in the lead's team unless told otherwise) with a stable 1.0.0 and a released 1.1.0, added directly (no audit). */
async function extraVersions(org: TestOrg, teamId: string = org.leadTeamId) {
  const db = testDb();
  const agentId = await extraAgent(org, { teamId });
  const stable = await db.agentVersion.create({
    data: { orgId: org.id, agentId, label: "1.0.0", model: "gpt-test", systemPrompt: "Route tickets.", status: "released", stableFor: agentId, createdBy: "fixture" },
  });
  const candidate = await db.agentVersion.create({
    data: { orgId: org.id, agentId, label: "1.1.0", model: "gpt-test", systemPrompt: "Route tickets. Be brief.", status: "released", createdBy: "fixture" },
  });
  const draft = await db.agentVersion.create({ data: { orgId: org.id, agentId, label: "1.2.0-draft", systemPrompt: "Draft.", createdBy: "fixture" } });
  return { agentId, stableId: stable.id, candidateId: candidate.id, draftId: draft.id };
}

/** A running rollout (10 → 50 → 100 %) of 1.1.0 over 1.0.0, added directly (no audit); optionally paused or asking for a second approval. */
async function extraRollout(org: TestOrg, options: { teamId?: string; status?: "running" | "paused"; requireApproval?: boolean } = {}) {
  const teamId = options.teamId ?? org.leadTeamId;
  const versions = await extraVersions(org, teamId);
  const rollout = await testDb().rollout.create({
    data: {
      orgId: org.id,
      agentId: versions.agentId,
      teamId,
      fromVersionId: versions.stableId,
      toVersionId: versions.candidateId,
      salt: randomUUID(),
      status: options.status ?? "running",
      activeFor: versions.agentId,
      stages: stages([10, 0], [50, 0], [100, 0]),
      guards: [{ metric: "error_rate", thresholdPercent: 20, enabled: true }],
      requireApproval: options.requireApproval ?? false,
      createdBy: "fixture@test.invalid",
    },
  });
  return { ...versions, rolloutId: rollout.id };
}

const versionFields = { model: "gpt-test", systemPrompt: "Route tickets.\nBe brief.", tools: ["ticket_read"], config: { temperature: 0 }, notes: "" };

const FIXTURES: Record<string, Fixture> = {
  "org.mine": { kind: "query", scope: "user", allowed: ALL, run: (caller) => caller.org.mine() },
  "org.access": { kind: "query", scope: "org", allowed: ALL, run: (caller, { org }) => caller.org.access({ orgId: org.id }) },
  "org.get": { kind: "query", scope: "org", allowed: ALL, run: (caller, { org }) => caller.org.get({ orgId: org.id }) },
  "org.update": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "org.updated",
    run: (caller, { org }) => caller.org.update({ orgId: org.id, name: unique("Renamed org") }),
  },
  "teams.list": { kind: "query", scope: "org", allowed: ALL, run: (caller, { org }) => caller.teams.list({ orgId: org.id }) },
  "teams.create": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "team.created",
    run: (caller, { org }) => caller.teams.create({ orgId: org.id, name: unique("New team") }),
  },
  "teams.rename": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "team.renamed",
    // The team lead's own team: renaming even that is an org setting, not theirs.
    run: (caller, { org }) => caller.teams.rename({ orgId: org.id, teamId: org.leadTeamId, name: unique("Marketing") }),
  },
  "members.list": { kind: "query", scope: "org", allowed: ADMINS, run: (caller, { org }) => caller.members.list({ orgId: org.id }) },
  "members.invite": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "member.invited",
    run: (caller, { org }) => caller.members.invite({ orgId: org.id, email: `invitee-${++counter}-${org.slug}@test.invalid`, role: "viewer" }),
  },
  "members.invitations": { kind: "query", scope: "org", allowed: ADMINS, run: (caller, { org }) => caller.members.invitations({ orgId: org.id }) },
  "members.revokeInvitation": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "invitation.revoked",
    run: async (caller, { org }) => caller.members.revokeInvitation({ orgId: org.id, invitationId: await extraInvitation(org) }),
  },
  "members.update": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "member.updated",
    run: async (caller, { org }) => {
      const membershipId = await extraMember(org, "viewer");
      return caller.members.update({ orgId: org.id, membershipId, role: "team_lead", teamIds: [org.otherTeamId] });
    },
  },
  "members.remove": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "member.removed",
    run: async (caller, { org }) => caller.members.remove({ orgId: org.id, membershipId: await extraMember(org, "viewer") }),
  },
  "audit.list": { kind: "query", scope: "org", allowed: AUDIT_READERS, run: (caller, { org }) => caller.audit.list({ orgId: org.id }) },
  "audit.actions": { kind: "query", scope: "org", allowed: AUDIT_READERS, run: (caller, { org }) => caller.audit.actions({ orgId: org.id }) },
  "audit.verify": { kind: "query", scope: "org", allowed: AUDIT_READERS, run: (caller, { org }) => caller.audit.verify({ orgId: org.id }) },
  "agents.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.agents.list({ orgId: org.id }) },
  "agents.get": {
    kind: "query",
    scope: "org",
    allowed: READERS,
    run: async (caller, { org }) => caller.agents.get({ orgId: org.id, agentId: await extraAgent(org) }),
  },
  "agents.create": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "agent.created",
    run: (caller, { org }) => caller.agents.create({ orgId: org.id, ...agentFields(org) }),
  },
  "agents.update": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "agent.updated",
    run: async (caller, { org }) => caller.agents.update({ orgId: org.id, agentId: await extraAgent(org), fields: agentFields(org) }),
  },
  "agents.archive": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "agent.archived",
    run: async (caller, { org }) => caller.agents.archive({ orgId: org.id, agentId: await extraAgent(org), reason: "retired" }),
  },
  "agents.restore": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "agent.restored",
    run: async (caller, { org }) => caller.agents.restore({ orgId: org.id, agentId: await extraAgent(org, { status: "archived" }) }),
  },
  "agents.parseCard": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    storesNothing: "it only reads a card into form fields; the person saves with agents.create",
    run: (caller, { org }) => caller.agents.parseCard({ orgId: org.id, json: JSON.stringify({ name: "Card Agent", skills: [{ id: "s1", name: "Skill" }] }) }),
  },
  "keys.forAgent": {
    kind: "query",
    scope: "org",
    allowed: AGENT_WRITERS,
    run: async (caller, { org }) => caller.keys.forAgent({ orgId: org.id, agentId: await extraAgent(org) }),
  },
  "keys.ingest": { kind: "query", scope: "org", allowed: INGEST_KEY_ADMINS, run: (caller, { org }) => caller.keys.ingest({ orgId: org.id }) },
  "keys.createAgentKey": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "key.created",
    run: async (caller, { org }) => caller.keys.createAgentKey({ orgId: org.id, agentId: await extraAgent(org), name: "production" }),
  },
  "keys.createIngestKey": {
    kind: "mutation",
    scope: "org",
    allowed: INGEST_KEY_ADMINS,
    audit: "key.created",
    run: (caller, { org }) => caller.keys.createIngestKey({ orgId: org.id, name: "collector" }),
  },
  "keys.revoke": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "key.revoked",
    run: async (caller, { org }) => caller.keys.revoke({ orgId: org.id, keyId: await extraKey(org, await extraAgent(org)) }),
  },
  "events.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.events.list({ orgId: org.id }) },
  "events.get": {
    kind: "query",
    scope: "org",
    allowed: READERS,
    run: async (caller, { org }) => caller.events.get({ orgId: org.id, id: await extraEvent(org) }),
  },
  "events.facets": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.events.facets({ orgId: org.id }) },
  // The role table: the model registry is managed by admins, but every reader sees which models agents use.
  "models.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.models.list({ orgId: org.id }) },
  // The role table: "members, roles, org settings, model registry: all (owner/admin)"; routing rules are part of the model registry's settings.
  "models.upsert": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "model.created",
    run: (caller, { org }) =>
      caller.models.upsert({
        orgId: org.id,
        provider: "openai",
        name: unique("model"),
        inputUsdPerMTok: "0.25",
        outputUsdPerMTok: "2",
        qualityTier: 3,
        contextWindow: 128_000,
        status: "active",
      }),
  },
  "routing.overview": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.routing.overview({ orgId: org.id }) },
  "routing.savings": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.routing.savings({ orgId: org.id, days: 7 }) },
  "routing.upsertRule": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "routing.rule_created",
    run: (caller, { org }) =>
      caller.routing.upsertRule({
        orgId: org.id,
        taskType: unique("task")
          .toLowerCase()
          .replace(/[^a-z0-9_.-]/g, "-"),
        minQuality: 2,
        allowedProviders: [],
        fallbackChain: [],
      }),
  },
  "routing.deleteRule": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "routing.rule_deleted",
    run: async (caller, { org }) => {
      const taskType = unique("doomed")
        .toLowerCase()
        .replace(/[^a-z0-9_.-]/g, "-");
      await testDb().routingRule.create({ data: { orgId: org.id, taskType, minQuality: 1 } });
      return caller.routing.deleteRule({ orgId: org.id, taskType });
    },
  },
  "approvals.list": {
    kind: "query",
    scope: "org",
    allowed: APPROVAL_DECIDERS,
    run: (caller, { org }) => caller.approvals.list({ orgId: org.id, view: "pending" }),
  },
  "approvals.pendingCount": { kind: "query", scope: "org", allowed: APPROVAL_DECIDERS, run: (caller, { org }) => caller.approvals.pendingCount({ orgId: org.id }) },
  "approvals.decide": {
    kind: "mutation",
    scope: "org",
    allowed: APPROVAL_DECIDERS,
    audit: "approval.approved",
    run: async (caller, { org }) => caller.approvals.decide({ orgId: org.id, approvalId: await extraApproval(org), decision: "approve", note: "ok" }),
  },
  // Alerts are read with the dashboards (the role table: "read dashboards …: all, all, own teams, all");
  // whoever may read an alert may acknowledge it. Webhooks are org settings ("owner/admin").
  "alerts.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.alerts.list({ orgId: org.id }) },
  "alerts.openCount": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.alerts.openCount({ orgId: org.id }) },
  "alerts.acknowledge": {
    kind: "mutation",
    scope: "org",
    allowed: READERS,
    audit: "alert.acknowledged",
    run: async (caller, { org }) => caller.alerts.acknowledge({ orgId: org.id, alertId: await extraAlert(org) }),
  },
  "alerts.webhooks.list": { kind: "query", scope: "org", allowed: ADMINS, run: (caller, { org }) => caller.alerts.webhooks.list({ orgId: org.id }) },
  "alerts.webhooks.create": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "webhook.created",
    run: (caller, { org }) => caller.alerts.webhooks.create({ orgId: org.id, url: "https://hooks.example.test/agentry", kinds: ["loop_detected"] }),
  },
  "alerts.webhooks.setEnabled": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "webhook.disabled",
    run: async (caller, { org }) => caller.alerts.webhooks.setEnabled({ orgId: org.id, webhookId: await extraWebhook(org), enabled: false }),
  },
  "alerts.webhooks.delete": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "webhook.deleted",
    run: async (caller, { org }) => caller.alerts.webhooks.delete({ orgId: org.id, webhookId: await extraWebhook(org) }),
  },
  "alerts.webhooks.test": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "webhook.test_queued",
    run: async (caller, { org }) => caller.alerts.webhooks.test({ orgId: org.id, webhookId: await extraWebhook(org) }),
  },
  // The role table: "budgets: all (owner/admin), – (compliance), split own team's budget among its agents (team lead), – (viewer)".
  "budgets.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.budgets.list({ orgId: org.id }) },
  "budgets.costs": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.budgets.costs({ orgId: org.id }) },
  "budgets.create": {
    kind: "mutation",
    scope: "org",
    allowed: BUDGET_WRITERS,
    audit: "budget.created",
    run: async (caller, { org }) => {
      const { budgetId } = await extraAgentBudget(org); // makes sure the lead's team has a budget to split
      await testDb().budget.delete({ where: { id: budgetId } });
      return caller.budgets.create({ orgId: org.id, scope: "agent", agentId: await extraAgent(org), period: "monthly", mode: "hard", limitUsd: "5", thresholds: [50, 80, 100] });
    },
  },
  "budgets.update": {
    kind: "mutation",
    scope: "org",
    allowed: BUDGET_WRITERS,
    audit: "budget.updated",
    run: async (caller, { org }) => caller.budgets.update({ orgId: org.id, budgetId: (await extraAgentBudget(org)).budgetId, fields: { mode: "soft", limitUsd: "2.50", thresholds: [80] } }),
  },
  "budgets.delete": {
    kind: "mutation",
    scope: "org",
    allowed: BUDGET_WRITERS,
    audit: "budget.deleted",
    run: async (caller, { org }) => caller.budgets.delete({ orgId: org.id, budgetId: (await extraAgentBudget(org)).budgetId }),
  },
  "policies.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.policies.list({ orgId: org.id }) },
  "policies.get": { kind: "query", scope: "org", allowed: READERS, run: async (caller, { org }) => caller.policies.get({ orgId: org.id, policyId: await extraPolicy(org) }) },
  "policies.validate": {
    kind: "query",
    scope: "org",
    allowed: READERS,
    run: (caller, { org }) => caller.policies.validate({ orgId: org.id, source: { kind: "cedar", cedar: "permit (principal, action, resource);" } }),
  },
  "policies.create": {
    kind: "mutation",
    scope: "org",
    allowed: POLICY_WRITERS,
    audit: "policy.created",
    run: (caller, { org }) =>
      caller.policies.create({
        orgId: org.id,
        name: unique("New policy"),
        source: { kind: "form", form: { who: { kind: "all" }, action: "tool", resources: ["x"], effect: "deny", conditions: [], reason: "" } },
      }),
  },
  "policies.update": {
    kind: "mutation",
    scope: "org",
    allowed: POLICY_WRITERS,
    audit: "policy.updated",
    run: async (caller, { org }) =>
      caller.policies.update({
        orgId: org.id,
        policyId: await extraPolicy(org),
        name: unique("Edited policy"),
        source: { kind: "cedar", cedar: 'forbid (principal, action == Action::"tool", resource == Tool::"y");' },
      }),
  },
  "policies.enforce": {
    kind: "mutation",
    scope: "org",
    allowed: POLICY_WRITERS,
    audit: "policy.enforced",
    run: async (caller, { org }) => caller.policies.enforce({ orgId: org.id, policyId: await extraPolicy(org) }),
  },
  "policies.disable": {
    kind: "mutation",
    scope: "org",
    allowed: POLICY_WRITERS,
    audit: "policy.disabled",
    run: async (caller, { org }) => caller.policies.disable({ orgId: org.id, policyId: await extraPolicy(org, "enforced") }),
  },
  "policies.delete": {
    kind: "mutation",
    scope: "org",
    allowed: POLICY_WRITERS,
    audit: "policy.deleted",
    run: async (caller, { org }) => caller.policies.delete({ orgId: org.id, policyId: await extraPolicy(org) }),
  },
  // The default when nothing matches is an org setting (the role table: org settings are owner/admin).
  "policies.setDefault": {
    kind: "mutation",
    scope: "org",
    allowed: ADMINS,
    audit: "policy.default_changed",
    run: (caller, { org }) => caller.policies.setDefault({ orgId: org.id, decision: "deny" }),
  },
  "policies.simulate": {
    kind: "query",
    scope: "org",
    allowed: READERS,
    // An agent of the team lead's own team: a lead may simulate their own agents.
    run: async (caller, { org }) => caller.policies.simulate({ orgId: org.id, agentId: await extraAgent(org), action: { type: "tool", name: "x", arguments: {} } }),
  },
  "policies.impact": {
    kind: "query",
    scope: "org",
    allowed: READERS,
    run: (caller, { org }) => caller.policies.impact({ orgId: org.id, limit: 10, draft: { name: "Draft", source: { kind: "cedar", cedar: "forbid (principal, action, resource);" } } }),
  },
  "killSwitches.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.killSwitches.list({ orgId: org.id }) },
  "killSwitches.targets": { kind: "query", scope: "org", allowed: AGENT_SWITCHERS, run: (caller, { org }) => caller.killSwitches.targets({ orgId: org.id, scope: "agent" }) },
  "killSwitches.forAgent": { kind: "query", scope: "org", allowed: READERS, run: async (caller, { org }) => caller.killSwitches.forAgent({ orgId: org.id, agentId: await extraAgent(org) }) },
  "killSwitches.engage": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_SWITCHERS,
    // Engaging a switch also opens its incident (docs/compliance.md), audited in the same transaction.
    audit: ["incident.opened", "killswitch.engaged"],
    run: async (caller, { org }) => {
      const agent = await extraNamedAgent(org);
      return caller.killSwitches.engage({ orgId: org.id, scope: "agent", target: agent.id, reason: "role matrix", confirmation: agent.name });
    },
  },
  "killSwitches.release": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_SWITCHERS,
    audit: "killswitch.released",
    run: async (caller, { org }) => caller.killSwitches.release({ orgId: org.id, id: await extraSwitch(org), reason: "role matrix" }),
  },
  // The role table: the CIO's "one org-wide dashboard" is "read dashboards": every role; team leads their own teams.
  "overview.summary": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.overview.summary({ orgId: org.id }) },
  // The role table: "register / edit agents, versions, rollouts, agent keys: all (owner/admin), – (compliance), own teams (team lead), – (viewer)";
  // everyone who reads dashboards reads versions, the timeline and rollouts.
  "versions.list": { kind: "query", scope: "org", allowed: READERS, run: async (caller, { org }) => caller.versions.list({ orgId: org.id, agentId: (await extraVersions(org)).agentId }) },
  "versions.timeline": { kind: "query", scope: "org", allowed: READERS, run: async (caller, { org }) => caller.versions.timeline({ orgId: org.id, agentId: (await extraVersions(org)).agentId }) },
  "versions.compare": {
    kind: "query",
    scope: "org",
    allowed: READERS,
    run: async (caller, { org }) => {
      const versions = await extraVersions(org);
      return caller.versions.compare({ orgId: org.id, agentId: versions.agentId, aId: versions.stableId, bId: versions.candidateId, days: 7 });
    },
  },
  "versions.create": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "version.created",
    run: async (caller, { org }) => caller.versions.create({ orgId: org.id, agentId: await extraAgent(org), label: "2.0.0", ...versionFields }),
  },
  "versions.update": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "version.updated",
    run: async (caller, { org }) => caller.versions.update({ orgId: org.id, versionId: (await extraVersions(org)).draftId, fields: { label: "1.2.0-rc1", ...versionFields } }),
  },
  "versions.release": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "version.released",
    run: async (caller, { org }) => caller.versions.release({ orgId: org.id, versionId: (await extraVersions(org)).draftId, reason: "ready for a canary" }),
  },
  "versions.deprecate": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "version.deprecated",
    run: async (caller, { org }) => caller.versions.deprecate({ orgId: org.id, versionId: (await extraVersions(org)).candidateId, reason: "superseded" }),
  },
  "versions.retire": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "version.retired",
    run: async (caller, { org }) => caller.versions.retire({ orgId: org.id, versionId: (await extraVersions(org)).candidateId, reason: "end of life" }),
  },
  "versions.makeStable": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "version.made_stable",
    run: async (caller, { org }) => caller.versions.makeStable({ orgId: org.id, versionId: (await extraVersions(org)).candidateId, reason: "revert from the ledger" }),
  },
  "rollouts.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.rollouts.list({ orgId: org.id }) },
  "rollouts.start": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "rollout.started",
    run: async (caller, { org }) => {
      const versions = await extraVersions(org);
      return caller.rollouts.start({
        orgId: org.id,
        agentId: versions.agentId,
        candidateId: versions.candidateId,
        stages: stages([10, 0], [100, 0]),
        guards: [{ metric: "error_rate", thresholdPercent: 20, enabled: true }],
        onBreach: "rollback",
        autoAdvance: true,
        requireApproval: false,
        reason: "canary",
      });
    },
  },
  "rollouts.promote": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "rollout.promoted",
    run: async (caller, { org }) => caller.rollouts.promote({ orgId: org.id, rolloutId: (await extraRollout(org)).rolloutId, reason: "looks good" }),
  },
  "rollouts.hold": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "rollout.held",
    run: async (caller, { org }) => caller.rollouts.hold({ orgId: org.id, rolloutId: (await extraRollout(org)).rolloutId, reason: "incident elsewhere" }),
  },
  "rollouts.resume": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "rollout.resumed",
    run: async (caller, { org }) => caller.rollouts.resume({ orgId: org.id, rolloutId: (await extraRollout(org, { status: "paused" })).rolloutId, reason: "all clear" }),
  },
  "rollouts.rollback": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    // A rollback opens its incident in the same transaction (docs/compliance.md).
    audit: ["rollout.rolled_back", "incident.opened"],
    run: async (caller, { org }) => caller.rollouts.rollback({ orgId: org.id, rolloutId: (await extraRollout(org)).rolloutId, reason: "customers complain" }),
  },
  "rollouts.approve": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "rollout.approved",
    run: async (caller, { org }) => caller.rollouts.approve({ orgId: org.id, rolloutId: (await extraRollout(org, { requireApproval: true })).rolloutId, reason: "second pair of eyes" }),
  },
  "rollouts.skipGuard": {
    kind: "mutation",
    scope: "org",
    allowed: AGENT_WRITERS,
    audit: "rollout.guard_skipped",
    run: async (caller, { org }) => caller.rollouts.skipGuard({ orgId: org.id, rolloutId: (await extraRollout(org)).rolloutId, metric: "error_rate", reason: "known flaky upstream" }),
  },
  "account.changePassword": {
    kind: "mutation",
    scope: "user",
    allowed: ALL,
    // Recorded in the chain of every org the person belongs to: here, one.
    audit: "account.password_changed",
    run: async (caller, { actor }) => {
      await testDb().user.update({ where: { id: actor.userId }, data: { passwordHash } });
      return caller.account.changePassword({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-new-${++counter}` });
    },
  },
  // Compliance (the role table: "compliance tags, risk class, controls: all (owner/admin), all (compliance), – (team lead), – (viewer)");
  // reading them is reading dashboards. Evidence packs are exported over HTTP (server/data/evidence.ts), not here.
  "compliance.matrix": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.compliance.matrix({ orgId: org.id }) },
  "compliance.agent": { kind: "query", scope: "org", allowed: READERS, run: async (caller, { org }) => caller.compliance.agent({ orgId: org.id, agentId: await extraAgent(org) }) },
  "compliance.classify": {
    kind: "mutation",
    scope: "org",
    allowed: COMPLIANCE_WRITERS,
    audit: "compliance.classified",
    run: async (caller, { org }) => caller.compliance.classify({ orgId: org.id, agentId: await extraAgent(org), riskClass: "high", reason: "Scores loan applicants.", dataCategories: ["PII", "PCI"] }),
  },
  "compliance.evaluate": {
    kind: "mutation",
    scope: "org",
    allowed: COMPLIANCE_WRITERS,
    audit: "compliance.evaluated",
    run: async (caller, { org }) => caller.compliance.evaluate({ orgId: org.id, agentId: await extraAgent(org) }),
  },
  "incidents.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.incidents.list({ orgId: org.id }) },
  // Opening an incident by hand: whoever may pull an agent's kill switch, and compliance (team leads on their teams' agents).
  "incidents.open": {
    kind: "mutation",
    scope: "org",
    allowed: INCIDENT_OPENERS,
    audit: "incident.opened",
    run: async (caller, { org }) => caller.incidents.open({ orgId: org.id, agentId: await extraAgent(org), title: unique("Odd behaviour"), severity: "medium" }),
  },
  "incidents.classify": {
    kind: "mutation",
    scope: "org",
    allowed: COMPLIANCE_WRITERS,
    audit: "incident.classified",
    run: async (caller, { org }) => caller.incidents.classify({ orgId: org.id, incidentId: await extraIncident(org), severity: "critical", serious: true, seriousKind: "death", reason: "A patient died" }),
  },
  "incidents.report": {
    kind: "mutation",
    scope: "org",
    allowed: COMPLIANCE_WRITERS,
    audit: "incident.reported",
    run: async (caller, { org }) => caller.incidents.report({ orgId: org.id, incidentId: await extraIncident(org), reportedAt: new Date(), reference: "MSA-1" }),
  },
  "incidents.close": {
    kind: "mutation",
    scope: "org",
    allowed: COMPLIANCE_WRITERS,
    audit: "incident.closed",
    run: async (caller, { org }) => caller.incidents.close({ orgId: org.id, incidentId: await extraIncident(org), note: "Looked into it; nothing to report." }),
  },
  "anomalies.list": { kind: "query", scope: "org", allowed: READERS, run: (caller, { org }) => caller.anomalies.list({ orgId: org.id }) },
  "anomalies.metrics": { kind: "query", scope: "org", allowed: READERS, run: async (caller, { org }) => caller.anomalies.metrics({ orgId: org.id, agentId: await extraAgent(org), window: "24h" }) },
};

// At run time `_def.procedures` is the flat map "router.procedure" → procedure (its static type is nested).
const flatProcedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const procedures = Object.entries(flatProcedures).map(([path, procedure]) => ({
  path,
  type: procedure._def.type,
}));

async function newEntries(orgId: string, afterSeq: number) {
  return testDb().auditEntry.findMany({ where: { orgId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" } });
}

async function headSeq(orgId: string): Promise<number> {
  const head = await testDb().auditEntry.findFirst({ where: { orgId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return head?.seq ?? 0;
}

test("every procedure of the API has a fixture here, and every fixture a procedure", () => {
  const missing = procedures
    .filter(({ path }) => !(path in FIXTURES))
    .map(({ path, type }) => `${type} "${path}" has no fixture in test/integration/role-matrix.int.test.ts: add one with the roles docs/concepts.md allows`);
  expect(missing).toEqual([]);
  const known = new Set(procedures.map(({ path }) => path));
  expect(Object.keys(FIXTURES).filter((path) => !known.has(path))).toEqual([]);
  for (const { path, type } of procedures) {
    expect(FIXTURES[path]?.kind, `fixture kind of ${path}`).toBe(type);
    if (type === "mutation") {
      const fixture = FIXTURES[path];
      // Exactly one of the two: the action it writes, or why it writes none.
      expect(Boolean(fixture?.audit) !== Boolean(fixture?.storesNothing), `${path} must name the audit action it writes (or why it stores nothing)`).toBe(true);
    }
  }
});

describe("the role matrix", () => {
  // One org per role: each role's calls run in sequence in its own org, so audit counts are exact.
  const orgs = new Map<Role, TestOrg>();
  beforeAll(async () => {
    passwordHash = await hashPassword(PASSWORD);
    for (const role of ALL) orgs.set(role, await createTestOrg());
  });

  const envFor = (role: Role): Env => {
    const org = orgs.get(role);
    if (!org) throw new Error(`no org for ${role}`);
    return { org, actor: org.users[role] };
  };

  for (const [path, fixture] of Object.entries(FIXTURES)) {
    for (const role of ALL) {
      const allowed = fixture.allowed.includes(role);
      test(`${path} as ${role}: ${allowed ? "allowed" : "FORBIDDEN"}`, async () => {
        const env = envFor(role);
        const before = await headSeq(env.org.id);
        const code = await errorCode(fixture.run(callerFor(env.actor.userId), env));
        expect(code).toBe(allowed ? null : "FORBIDDEN");

        const written = await newEntries(env.org.id, before);
        if (allowed && fixture.kind === "mutation" && fixture.audit) {
          const actions = typeof fixture.audit === "string" ? [fixture.audit] : fixture.audit;
          expect(written.map((entry) => ({ action: entry.action, actorId: entry.actorId, actorType: entry.actorType }))).toEqual(
            actions.map((action) => ({ action, actorId: env.actor.userId, actorType: "user" })),
          );
        } else {
          expect(written).toEqual([]);
        }
      });
    }
  }

  test("every role's chain still verifies after all of the above", async () => {
    for (const role of ALL) {
      const { org } = envFor(role);
      const result = await callerFor(org.users.owner.userId).audit.verify({ orgId: org.id });
      expect(result.ok).toBe(true);
    }
  });
});

describe("outsiders and strangers", () => {
  let org: TestOrg;
  let outsider: TestOrg;
  beforeAll(async () => {
    passwordHash ||= await hashPassword(PASSWORD);
    [org, outsider] = await Promise.all([createTestOrg(), createTestOrg()]);
  });

  const orgProcedures = Object.entries(FIXTURES).filter(([, fixture]) => fixture.scope === "org");

  test.each(orgProcedures)("%s: the owner of another org is FORBIDDEN", async (_path, fixture) => {
    const before = await headSeq(org.id);
    const code = await errorCode(fixture.run(callerFor(outsider.users.owner.userId), { org, actor: outsider.users.owner }));
    expect(code).toBe("FORBIDDEN");
    expect(await newEntries(org.id, before)).toEqual([]);
  });

  test.each(Object.entries(FIXTURES))("%s: without a session, UNAUTHORIZED", async (_path, fixture) => {
    const code = await errorCode(fixture.run(callerFor(null), { org, actor: org.users.owner }));
    expect(code).toBe("UNAUTHORIZED");
  });
});

describe("team leads see only their own teams", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg();
    // Trail entries in two teams: the lead's and another.
    const owner = callerFor(org.users.owner.userId);
    await owner.teams.rename({ orgId: org.id, teamId: org.leadTeamId, name: "Marketing EMEA" });
    await owner.teams.rename({ orgId: org.id, teamId: org.otherTeamId, name: "Finance EMEA" });
    await owner.org.update({ orgId: org.id, name: "Org-wide change" });
  });

  test("teams.list returns only the lead's team", async () => {
    const teams = await callerFor(org.users.team_lead.userId).teams.list({ orgId: org.id });
    expect(teams.map((team) => team.id)).toEqual([org.leadTeamId]);
    const all = await callerFor(org.users.viewer.userId).teams.list({ orgId: org.id });
    expect(all).toHaveLength(4);
  });

  test("audit.list with another team's teamId is FORBIDDEN", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    expect(await errorCode(lead.audit.list({ orgId: org.id, teamId: org.otherTeamId }))).toBe("FORBIDDEN");
  });

  test("audit.list shows the lead only their team's entries", async () => {
    const lead = callerFor(org.users.team_lead.userId);
    const own = await lead.audit.list({ orgId: org.id, teamId: org.leadTeamId });
    expect(own.entries.map((entry) => entry.after)).toEqual([{ name: "Marketing EMEA" }]);
    const unfiltered = await lead.audit.list({ orgId: org.id });
    expect(unfiltered.entries.map((entry) => entry.teamId)).toEqual([org.leadTeamId]);
    const compliance = await callerFor(org.users.compliance.userId).audit.list({ orgId: org.id });
    expect(compliance.entries).toHaveLength(3);
  });

  describe("reaching into another team's agent is FORBIDDEN and changes nothing", () => {
    const lead = () => callerFor(org.users.team_lead.userId);
    const other = () => extraAgent(org, { teamId: org.otherTeamId });
    const cases: [string, () => Promise<unknown>][] = [
      ["agents.create in another team", () => lead().agents.create({ orgId: org.id, ...agentFields(org, org.otherTeamId) })],
      ["agents.create in no team", async () => lead().agents.create({ orgId: org.id, ...agentFields(org), teamId: null })],
      ["agents.update", async () => lead().agents.update({ orgId: org.id, agentId: await other(), fields: agentFields(org) })],
      ["agents.update moving an own agent to another team", async () => lead().agents.update({ orgId: org.id, agentId: await extraAgent(org), fields: agentFields(org, org.otherTeamId) })],
      ["agents.archive", async () => lead().agents.archive({ orgId: org.id, agentId: await other() })],
      ["agents.restore", async () => lead().agents.restore({ orgId: org.id, agentId: await extraAgent(org, { teamId: org.otherTeamId, status: "archived" }) })],
      ["agents.get", async () => lead().agents.get({ orgId: org.id, agentId: await other() })],
      ["agents.get of an unassigned (discovered) agent", async () => lead().agents.get({ orgId: org.id, agentId: await extraAgent(org, { teamId: null, status: "discovered" }) })],
      ["agents.list filtered to another team", () => lead().agents.list({ orgId: org.id, teamId: org.otherTeamId })],
      ["keys.forAgent", async () => lead().keys.forAgent({ orgId: org.id, agentId: await other() })],
      ["keys.createAgentKey", async () => lead().keys.createAgentKey({ orgId: org.id, agentId: await other(), name: "sneaky" })],
      ["keys.revoke", async () => lead().keys.revoke({ orgId: org.id, keyId: await extraKey(org, await other()) })],
      ["keys.revoke of an org ingest key", async () => lead().keys.revoke({ orgId: org.id, keyId: await extraKey(org, null) })],
      [
        "killSwitches.engage on another team's agent",
        async () => {
          const agent = await extraNamedAgent(org, org.otherTeamId);
          return lead().killSwitches.engage({ orgId: org.id, scope: "agent", target: agent.id, reason: "reaching", confirmation: agent.name });
        },
      ],
      ["killSwitches.engage on another team", () => lead().killSwitches.engage({ orgId: org.id, scope: "team", target: org.otherTeamId, reason: "reaching", confirmation: org.teams[1]?.name ?? "" })],
      // The role table: "kill switch: model / org: all (owner/admin) only"; a tag spans teams, so it is the same.
      [
        "killSwitches.engage on the org",
        async () => {
          const name = (await testDb().org.findUniqueOrThrow({ where: { id: org.id } })).name;
          return lead().killSwitches.engage({ orgId: org.id, scope: "org", target: "", reason: "reaching", confirmation: name });
        },
      ],
      ["killSwitches.engage on a tag", () => lead().killSwitches.engage({ orgId: org.id, scope: "tag", target: "beta", reason: "reaching", confirmation: "beta" })],
      ["killSwitches.engage on a model", () => lead().killSwitches.engage({ orgId: org.id, scope: "model", target: "gpt-test", reason: "reaching", confirmation: "gpt-test" })],
      ["killSwitches.release of another team's switch", async () => lead().killSwitches.release({ orgId: org.id, id: await extraSwitch(org, org.otherTeamId), reason: "reaching" })],
      ["killSwitches.forAgent of another team's agent", async () => lead().killSwitches.forAgent({ orgId: org.id, agentId: await other() })],
      ["events.list filtered to another team's agent", async () => lead().events.list({ orgId: org.id, agentId: await other() })],
      ["versions.list of another team's agent", async () => lead().versions.list({ orgId: org.id, agentId: (await extraVersions(org, org.otherTeamId)).agentId })],
      ["versions.create for another team's agent", async () => lead().versions.create({ orgId: org.id, agentId: await other(), label: "9.9.9", ...versionFields })],
      ["versions.release of another team's version", async () => lead().versions.release({ orgId: org.id, versionId: (await extraVersions(org, org.otherTeamId)).draftId, reason: "reaching" })],
      ["versions.makeStable of another team's version", async () => lead().versions.makeStable({ orgId: org.id, versionId: (await extraVersions(org, org.otherTeamId)).candidateId, reason: "reaching" })],
      [
        "rollouts.start on another team's agent",
        async () => {
          const versions = await extraVersions(org, org.otherTeamId);
          return lead().rollouts.start({
            orgId: org.id,
            agentId: versions.agentId,
            candidateId: versions.candidateId,
            stages: stages([10, 0], [100, 0]),
            guards: [],
            onBreach: "pause",
            autoAdvance: true,
            requireApproval: false,
            reason: "reaching",
          });
        },
      ],
      ["rollouts.rollback of another team's rollout", async () => lead().rollouts.rollback({ orgId: org.id, rolloutId: (await extraRollout(org, { teamId: org.otherTeamId })).rolloutId, reason: "reaching" })],
    ];
    test.each(cases)("%s", async (_label, call) => {
      const before = await headSeq(org.id);
      expect(await errorCode(call())).toBe("FORBIDDEN");
      expect(await newEntries(org.id, before)).toEqual([]);
    });

    test("overview.summary counts the lead only their teams' agents", async () => {
      const mine = await extraAgent(org);
      const theirs = await other();
      const overview = await lead().overview.summary({ orgId: org.id });
      expect(overview.scope.kind).toBe("teams");
      expect(overview.spend.agents.map((agent) => agent.id)).toContain(mine);
      expect(overview.spend.agents.map((agent) => agent.id)).not.toContain(theirs);
      const all = await callerFor(org.users.viewer.userId).overview.summary({ orgId: org.id });
      expect(all.spend.agents.map((agent) => agent.id)).toContain(theirs);
    });

    test("rollouts.list shows the lead only their teams' rollouts", async () => {
      const mine = await extraRollout(org);
      const theirs = await extraRollout(org, { teamId: org.otherTeamId });
      const listed = (await lead().rollouts.list({ orgId: org.id })).active.map((rollout) => rollout.id);
      expect(listed).toContain(mine.rolloutId);
      expect(listed).not.toContain(theirs.rolloutId);
      expect((await callerFor(org.users.viewer.userId).rollouts.list({ orgId: org.id })).active.map((rollout) => rollout.id)).toContain(theirs.rolloutId);
    });

    test("agents.list shows the lead only their teams' agents", async () => {
      const mine = await extraAgent(org);
      const theirs = await other();
      const listed = (await lead().agents.list({ orgId: org.id })).map((agent) => agent.id);
      expect(listed).toContain(mine);
      expect(listed).not.toContain(theirs);
      expect((await callerFor(org.users.viewer.userId).agents.list({ orgId: org.id })).map((agent) => agent.id)).toContain(theirs);
    });
  });

  test("approvals.decide on another team's agent's request is FORBIDDEN for the lead, and changes nothing", async () => {
    const approvalId = await extraApproval(org, org.otherTeamId);
    const before = await headSeq(org.id);
    const lead = callerFor(org.users.team_lead.userId);
    expect(await errorCode(lead.approvals.decide({ orgId: org.id, approvalId, decision: "approve" }))).toBe("FORBIDDEN");
    expect(await errorCode(lead.approvals.decide({ orgId: org.id, approvalId, decision: "deny" }))).toBe("FORBIDDEN");
    expect(await newEntries(org.id, before)).toEqual([]);
    expect((await testDb().approval.findUniqueOrThrow({ where: { id: approvalId } })).status).toBe("pending");
    const queue = await lead.approvals.list({ orgId: org.id, view: "pending" });
    expect(queue.items.map((item) => item.id)).not.toContain(approvalId);
  });

  test("alerts: the lead sees their teams' alerts and org-wide ones, and cannot acknowledge another team's", async () => {
    const mine = await extraAlert(org);
    const orgWide = await extraAlert(org, null);
    const theirs = await extraAlert(org, org.otherTeamId);
    const lead = callerFor(org.users.team_lead.userId);
    const listed = (await lead.alerts.list({ orgId: org.id, status: "all" })).items.map((alert) => alert.id);
    expect(listed).toEqual(expect.arrayContaining([mine, orgWide]));
    expect(listed).not.toContain(theirs);
    expect((await callerFor(org.users.viewer.userId).alerts.list({ orgId: org.id })).items.map((alert) => alert.id)).toContain(theirs);

    const before = await headSeq(org.id);
    expect(await errorCode(lead.alerts.acknowledge({ orgId: org.id, alertId: theirs }))).toBe("FORBIDDEN");
    expect(await newEntries(org.id, before)).toEqual([]);
    expect((await testDb().alert.findUniqueOrThrow({ where: { id: theirs } })).acknowledgedAt).toBeNull();
  });

  test("viewers cannot read members or the audit log", async () => {
    const viewer = callerFor(org.users.viewer.userId);
    expect(await errorCode(viewer.members.list({ orgId: org.id }))).toBe("FORBIDDEN");
    expect(await errorCode(viewer.audit.list({ orgId: org.id }))).toBe("FORBIDDEN");
  });
});

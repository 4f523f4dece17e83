// The console's tenancy matrix (docs/security.md). Two organisations, A and B, each
// with one of everything (agents, keys, events, budgets, policies, approvals, alerts, webhooks,
// kill switches, invitations, members). Every tRPC procedure (listed from the router itself: a new
// procedure without a case here fails the suite) is called by every role of org A
//   1. naming org B: refused (FORBIDDEN), and
//   2. naming org A but carrying B's ids: refused, or answered with nothing of B,
// and team leads, naming their own org with the ids of another team's things: refused or
// answered with nothing of that team. Org B must be exactly as it was afterwards.
// (The agent API's side, with its key types, is tested with the agent API.)
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { appRouter } from "../../server/api/root";
import type { Role } from "../../server/domain/access/permissions";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";
import { stages } from "./rollout-fixtures";

type Caller = ReturnType<typeof callerFor>;

/** One of everything, in one org (and, for team scope, in one of its teams). */
interface World {
  orgId: string;
  teamId: string;
  agentId: string;
  agentName: string;
  keyId: string;
  eventId: string;
  budgetId: string;
  policyId: string;
  approvalId: string;
  alertId: string;
  webhookId: string;
  switchId: string;
  invitationId: string;
  incidentId: string;
  /** The agent's stable, released candidate and draft versions, and its running rollout. */
  stableVersionId: string;
  candidateVersionId: string;
  draftVersionId: string;
  rolloutId: string;
  membershipId: string;
  modelName: string;
  taskType: string;
  /** Strings that only this world's things contain: none may appear in an answer to an outsider. */
  markers: string[];
  /** The same for the team's own things only (not the org-wide ones). */
  teamMarkers: string[];
}

async function seedWorld(org: TestOrg, teamId: string, label: string): Promise<World> {
  const db = testDb();
  // What belongs to the team carries `tag`; the org-wide things (policy, webhook, invitation,
  // model, routing rule) carry `orgTag`, so team scope can be told apart from org scope.
  const tag = `${label}-${randomUUID().slice(0, 8)}`;
  const orgTag = `${label}-org-${randomUUID().slice(0, 8)}`;
  // Model names and task types are shared vocabulary (any org may name a model "gpt-4o"): not markers.
  const vocabulary = `${label}-vocab-${randomUUID().slice(0, 8)}`;
  const agent = await db.agent.create({ data: { orgId: org.id, name: `agent-${tag}`, teamId, tags: [`tag-${tag}`] } });
  const key = await db.apiKey.create({ data: { orgId: org.id, kind: "agent", agentId: agent.id, name: `key-${tag}`, prefix: "agt_tenancy", hash: `tenancy-${randomUUID()}` } });
  const event = await db.event.create({
    data: { orgId: org.id, agentId: agent.id, eventId: `event-${tag}`, type: "llm_call", ts: new Date(), model: `model-${vocabulary}`, attributes: { note: `attr-${tag}` } },
  });
  await db.eventRollupHourly.create({
    data: { orgId: org.id, agentId: agent.id, teamId, model: `model-${vocabulary}`, hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000), events: 1, llmCalls: 1, costMicros: 1234n },
  });
  const teamKey = `team:${teamId}`;
  await db.budget.upsert({
    where: { orgId_scopeKey_period: { orgId: org.id, scopeKey: teamKey, period: "monthly" } },
    create: { orgId: org.id, scope: "team", scopeKey: teamKey, teamId, period: "monthly", mode: "hard", limitMicros: 1_000_000_000_000n },
    update: {},
  });
  const budget = await db.budget.create({
    data: { orgId: org.id, scope: "agent", scopeKey: `agent:${agent.id}`, teamId, agentId: agent.id, period: "monthly", mode: "hard", limitMicros: 7_000_000n },
  });
  const policy = await db.policy.create({
    data: { orgId: org.id, name: `policy-${orgTag}`, cedar: `forbid (principal, action == Action::"tool", resource == Tool::"tool-${orgTag}");`, status: "enforced" },
  });
  const approval = await db.approval.create({
    data: { orgId: org.id, agentId: agent.id, teamId, decisionId: randomUUID(), actionType: "tool", actionName: `tool-${tag}`, arguments: { amount: 1 }, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const alert = await db.alert.create({ data: { orgId: org.id, kind: "loop_detected", severity: "critical", title: `alert-${tag}`, teamId } });
  const webhook = await db.webhook.create({ data: { orgId: org.id, url: `https://hooks.example.test/${orgTag}` } });
  const killSwitch = await db.killSwitch.create({ data: { orgId: org.id, scope: "agent", target: agent.id, teamId, reason: `switch-${tag}`, engagedBy: "fixture" } });
  const invitation = await db.invitation.create({
    data: { orgId: org.id, email: `invitee-${orgTag}@test.invalid`, role: "viewer", tokenHash: `tenancy-${randomUUID()}`, invitedByLabel: "fixture", expiresAt: new Date(Date.now() + 86_400_000) },
  });
  const incident = await db.incident.create({
    data: { orgId: org.id, agentId: agent.id, teamId, title: `incident-${tag}`, source: "person", severity: "medium", awareAt: new Date(), openedBy: "fixture" },
  });
  const version = (label: string, status: "draft" | "released", stable = false) =>
    db.agentVersion.create({ data: { orgId: org.id, agentId: agent.id, label, systemPrompt: `prompt-${tag}`, status, stableFor: stable ? agent.id : null, createdBy: "fixture" } });
  const stableVersion = await version(`${tag}-stable`, "released", true);
  const candidateVersion = await version(`${tag}-candidate`, "released");
  const draftVersion = await version(`${tag}-draft`, "draft");
  const rollout = await db.rollout.create({
    data: {
      orgId: org.id,
      agentId: agent.id,
      teamId,
      fromVersionId: stableVersion.id,
      toVersionId: candidateVersion.id,
      salt: `salt-${tag}`,
      activeFor: agent.id,
      stages: [
        { percent: 10, minDwellMinutes: 60, minSamples: 50 },
        { percent: 100, minDwellMinutes: 0, minSamples: 0 },
      ],
      guards: [{ metric: "error_rate", thresholdPercent: 20, enabled: true }],
      createdBy: "fixture",
    },
  });
  await db.model.create({ data: { orgId: org.id, provider: "openai", name: `model-${vocabulary}`, inputMicrosPerMTok: 1_000_000n, outputMicrosPerMTok: 2_000_000n, qualityTier: 3 } });
  await db.routingRule.create({ data: { orgId: org.id, taskType: `task-${vocabulary}`, minQuality: 1 } });
  return {
    orgId: org.id,
    teamId,
    agentId: agent.id,
    agentName: agent.name,
    keyId: key.id,
    eventId: event.id.toString(),
    budgetId: budget.id,
    policyId: policy.id,
    approvalId: approval.id,
    alertId: alert.id,
    webhookId: webhook.id,
    switchId: killSwitch.id,
    invitationId: invitation.id,
    incidentId: incident.id,
    stableVersionId: stableVersion.id,
    candidateVersionId: candidateVersion.id,
    draftVersionId: draftVersion.id,
    rolloutId: rollout.id,
    membershipId: org.users.viewer.membershipId,
    modelName: `model-${vocabulary}`,
    taskType: `task-${vocabulary}`,
    // Every name this world's things carry holds one of the tags; ids are unique anyway.
    markers: [
      tag,
      orgTag,
      agent.id,
      key.id,
      budget.id,
      policy.id,
      approval.id,
      alert.id,
      webhook.id,
      killSwitch.id,
      invitation.id,
      incident.id,
      stableVersion.id,
      candidateVersion.id,
      draftVersion.id,
      rollout.id,
    ],
    teamMarkers: [tag, agent.id, key.id, budget.id, approval.id, alert.id, killSwitch.id, incident.id, stableVersion.id, candidateVersion.id, draftVersion.id, rollout.id],
  };
}

let counter = 0;
const fresh = (label: string) => `${label}-${++counter}-${randomUUID().slice(0, 6)}`;

const agentFields = (teamId: string) => ({
  name: fresh("tenancy-agent"),
  description: "",
  owner: null,
  teamId,
  framework: null,
  models: [],
  tools: [],
  dataCategories: [],
  tags: [],
  version: null,
  heartbeatIntervalSec: 30,
});

/** A call of one procedure naming `orgId`, with the ids of world `w` wherever it takes an id. */
type Case = (caller: Caller, orgId: string, w: World) => Promise<unknown>;

const CASES: Record<string, Case> = {
  "org.mine": (c) => c.org.mine(),
  "org.access": (c, orgId) => c.org.access({ orgId }),
  "org.get": (c, orgId) => c.org.get({ orgId }),
  "org.update": (c, orgId) => c.org.update({ orgId, name: fresh("Renamed") }),
  "teams.list": (c, orgId) => c.teams.list({ orgId }),
  "teams.create": (c, orgId) => c.teams.create({ orgId, name: fresh("Team") }),
  "teams.rename": (c, orgId, w) => c.teams.rename({ orgId, teamId: w.teamId, name: fresh("Renamed team") }),
  "members.list": (c, orgId) => c.members.list({ orgId }),
  "members.invite": (c, orgId, w) => c.members.invite({ orgId, email: `${fresh("x")}@test.invalid`, role: "team_lead", teamIds: [w.teamId] }),
  "members.invitations": (c, orgId) => c.members.invitations({ orgId }),
  "members.revokeInvitation": (c, orgId, w) => c.members.revokeInvitation({ orgId, invitationId: w.invitationId }),
  "members.update": (c, orgId, w) => c.members.update({ orgId, membershipId: w.membershipId, role: "admin", teamIds: [] }),
  "members.remove": (c, orgId, w) => c.members.remove({ orgId, membershipId: w.membershipId }),
  "audit.list": (c, orgId, w) => c.audit.list({ orgId, teamId: w.teamId }),
  "audit.actions": (c, orgId) => c.audit.actions({ orgId }),
  "audit.verify": (c, orgId) => c.audit.verify({ orgId }),
  "agents.list": (c, orgId, w) => c.agents.list({ orgId, teamId: w.teamId }),
  "agents.get": (c, orgId, w) => c.agents.get({ orgId, agentId: w.agentId }),
  "agents.create": (c, orgId, w) => c.agents.create({ orgId, ...agentFields(w.teamId) }),
  "agents.update": (c, orgId, w) => c.agents.update({ orgId, agentId: w.agentId, fields: agentFields(w.teamId) }),
  "agents.archive": (c, orgId, w) => c.agents.archive({ orgId, agentId: w.agentId, reason: "tenancy" }),
  "agents.restore": (c, orgId, w) => c.agents.restore({ orgId, agentId: w.agentId }),
  "agents.parseCard": (c, orgId) => c.agents.parseCard({ orgId, json: JSON.stringify({ name: "Card Agent", skills: [{ id: "s1", name: "Skill" }] }) }),
  "keys.forAgent": (c, orgId, w) => c.keys.forAgent({ orgId, agentId: w.agentId }),
  "keys.ingest": (c, orgId) => c.keys.ingest({ orgId }),
  "keys.createAgentKey": (c, orgId, w) => c.keys.createAgentKey({ orgId, agentId: w.agentId, name: "sneaky" }),
  "keys.createIngestKey": (c, orgId) => c.keys.createIngestKey({ orgId, name: fresh("collector") }),
  "keys.revoke": (c, orgId, w) => c.keys.revoke({ orgId, keyId: w.keyId }),
  "events.list": (c, orgId, w) => c.events.list({ orgId, agentId: w.agentId }),
  "events.get": (c, orgId, w) => c.events.get({ orgId, id: w.eventId }),
  "events.facets": (c, orgId) => c.events.facets({ orgId }),
  "models.list": (c, orgId) => c.models.list({ orgId }),
  // Model names are shared vocabulary (every org may register "gpt-4o"): upserting one in A must leave B's alone.
  "models.upsert": (c, orgId, w) => c.models.upsert({ orgId, provider: "openai", name: w.modelName, inputUsdPerMTok: "9", outputUsdPerMTok: "9", qualityTier: 1, contextWindow: null, status: "disabled" }),
  "routing.overview": (c, orgId) => c.routing.overview({ orgId }),
  "routing.savings": (c, orgId) => c.routing.savings({ orgId, days: 7 }),
  "routing.upsertRule": (c, orgId, w) => c.routing.upsertRule({ orgId, taskType: w.taskType, minQuality: 5, allowedProviders: [], fallbackChain: [] }),
  "routing.deleteRule": (c, orgId, w) => c.routing.deleteRule({ orgId, taskType: w.taskType }),
  "approvals.list": (c, orgId, w) => c.approvals.list({ orgId, view: "pending", agentId: w.agentId }),
  "approvals.pendingCount": (c, orgId) => c.approvals.pendingCount({ orgId }),
  "approvals.decide": (c, orgId, w) => c.approvals.decide({ orgId, approvalId: w.approvalId, decision: "approve", note: "tenancy" }),
  "alerts.list": (c, orgId) => c.alerts.list({ orgId, status: "all" }),
  "alerts.openCount": (c, orgId) => c.alerts.openCount({ orgId }),
  "alerts.acknowledge": (c, orgId, w) => c.alerts.acknowledge({ orgId, alertId: w.alertId }),
  "alerts.webhooks.list": (c, orgId) => c.alerts.webhooks.list({ orgId }),
  "alerts.webhooks.create": (c, orgId) => c.alerts.webhooks.create({ orgId, url: `https://hooks.example.test/${fresh("new")}`, kinds: [] }),
  "alerts.webhooks.setEnabled": (c, orgId, w) => c.alerts.webhooks.setEnabled({ orgId, webhookId: w.webhookId, enabled: false }),
  "alerts.webhooks.delete": (c, orgId, w) => c.alerts.webhooks.delete({ orgId, webhookId: w.webhookId }),
  "alerts.webhooks.test": (c, orgId, w) => c.alerts.webhooks.test({ orgId, webhookId: w.webhookId }),
  "budgets.list": (c, orgId) => c.budgets.list({ orgId }),
  "budgets.costs": (c, orgId) => c.budgets.costs({ orgId }),
  "budgets.create": (c, orgId, w) => c.budgets.create({ orgId, scope: "agent", agentId: w.agentId, period: "daily", mode: "hard", limitUsd: "1", thresholds: [100] }),
  "budgets.update": (c, orgId, w) => c.budgets.update({ orgId, budgetId: w.budgetId, fields: { mode: "soft", limitUsd: "999", thresholds: [50] } }),
  "budgets.delete": (c, orgId, w) => c.budgets.delete({ orgId, budgetId: w.budgetId }),
  "policies.list": (c, orgId) => c.policies.list({ orgId }),
  "policies.get": (c, orgId, w) => c.policies.get({ orgId, policyId: w.policyId }),
  "policies.validate": (c, orgId) => c.policies.validate({ orgId, source: { kind: "cedar", cedar: "permit (principal, action, resource);" } }),
  "policies.create": (c, orgId) =>
    c.policies.create({ orgId, name: fresh("Policy"), source: { kind: "form", form: { who: { kind: "all" }, action: "tool", resources: ["x"], effect: "deny", conditions: [], reason: "" } } }),
  "policies.update": (c, orgId, w) => c.policies.update({ orgId, policyId: w.policyId, name: fresh("Hijacked"), source: { kind: "cedar", cedar: "permit (principal, action, resource);" } }),
  "policies.enforce": (c, orgId, w) => c.policies.enforce({ orgId, policyId: w.policyId }),
  "policies.disable": (c, orgId, w) => c.policies.disable({ orgId, policyId: w.policyId }),
  "policies.delete": (c, orgId, w) => c.policies.delete({ orgId, policyId: w.policyId }),
  "policies.setDefault": (c, orgId) => c.policies.setDefault({ orgId, decision: "deny" }),
  "policies.simulate": (c, orgId, w) => c.policies.simulate({ orgId, agentId: w.agentId, action: { type: "tool", name: "x", arguments: {} } }),
  "policies.impact": (c, orgId, w) => c.policies.impact({ orgId, limit: 10, draft: { policyId: w.policyId, name: "Draft", source: { kind: "cedar", cedar: "forbid (principal, action, resource);" } } }),
  "killSwitches.list": (c, orgId) => c.killSwitches.list({ orgId }),
  "killSwitches.targets": (c, orgId) => c.killSwitches.targets({ orgId, scope: "agent" }),
  "killSwitches.forAgent": (c, orgId, w) => c.killSwitches.forAgent({ orgId, agentId: w.agentId }),
  "killSwitches.engage": (c, orgId, w) => c.killSwitches.engage({ orgId, scope: "agent", target: w.agentId, reason: "tenancy test", confirmation: w.agentName }),
  "killSwitches.release": (c, orgId, w) => c.killSwitches.release({ orgId, id: w.switchId, reason: "tenancy test" }),
  "overview.summary": (c, orgId) => c.overview.summary({ orgId }),
  "compliance.matrix": (c, orgId) => c.compliance.matrix({ orgId }),
  "compliance.agent": (c, orgId, w) => c.compliance.agent({ orgId, agentId: w.agentId }),
  "compliance.classify": (c, orgId, w) => c.compliance.classify({ orgId, agentId: w.agentId, riskClass: "high", reason: "tenancy test", dataCategories: [] }),
  "compliance.evaluate": (c, orgId, w) => c.compliance.evaluate({ orgId, agentId: w.agentId }),
  "incidents.list": (c, orgId) => c.incidents.list({ orgId }),
  "incidents.open": (c, orgId, w) => c.incidents.open({ orgId, agentId: w.agentId, title: fresh("Odd behaviour"), severity: "medium" }),
  "incidents.classify": (c, orgId, w) => c.incidents.classify({ orgId, incidentId: w.incidentId, severity: "critical", serious: true, seriousKind: "death", reason: "tenancy test" }),
  "incidents.report": (c, orgId, w) => c.incidents.report({ orgId, incidentId: w.incidentId, reportedAt: new Date(), reference: "tenancy" }),
  "incidents.close": (c, orgId, w) => c.incidents.close({ orgId, incidentId: w.incidentId, note: "tenancy test" }),
  "anomalies.list": (c, orgId) => c.anomalies.list({ orgId }),
  "anomalies.metrics": (c, orgId, w) => c.anomalies.metrics({ orgId, agentId: w.agentId, window: "24h" }),
  "versions.list": (c, orgId, w) => c.versions.list({ orgId, agentId: w.agentId }),
  "versions.timeline": (c, orgId, w) => c.versions.timeline({ orgId, agentId: w.agentId }),
  "versions.compare": (c, orgId, w) => c.versions.compare({ orgId, agentId: w.agentId, aId: w.stableVersionId, bId: w.candidateVersionId, days: 7 }),
  "versions.create": (c, orgId, w) => c.versions.create({ orgId, agentId: w.agentId, label: fresh("v"), model: null, systemPrompt: "", tools: [], config: {}, notes: "" }),
  "versions.update": (c, orgId, w) => c.versions.update({ orgId, versionId: w.draftVersionId, fields: { label: fresh("hijacked"), model: null, systemPrompt: "hijacked", tools: [], config: {}, notes: "" } }),
  "versions.release": (c, orgId, w) => c.versions.release({ orgId, versionId: w.draftVersionId, reason: "tenancy test" }),
  "versions.deprecate": (c, orgId, w) => c.versions.deprecate({ orgId, versionId: w.candidateVersionId, reason: "tenancy test" }),
  "versions.retire": (c, orgId, w) => c.versions.retire({ orgId, versionId: w.candidateVersionId, reason: "tenancy test" }),
  "versions.makeStable": (c, orgId, w) => c.versions.makeStable({ orgId, versionId: w.candidateVersionId, reason: "tenancy test" }),
  "rollouts.list": (c, orgId, w) => c.rollouts.list({ orgId, agentId: w.agentId }),
  "rollouts.start": (c, orgId, w) =>
    c.rollouts.start({
      orgId,
      agentId: w.agentId,
      candidateId: w.candidateVersionId,
      stages: stages([50, 0], [100, 0]),
      guards: [],
      onBreach: "rollback",
      autoAdvance: true,
      requireApproval: false,
      reason: "tenancy test",
    }),
  "rollouts.promote": (c, orgId, w) => c.rollouts.promote({ orgId, rolloutId: w.rolloutId, reason: "tenancy test" }),
  "rollouts.hold": (c, orgId, w) => c.rollouts.hold({ orgId, rolloutId: w.rolloutId, reason: "tenancy test" }),
  "rollouts.resume": (c, orgId, w) => c.rollouts.resume({ orgId, rolloutId: w.rolloutId, reason: "tenancy test" }),
  "rollouts.rollback": (c, orgId, w) => c.rollouts.rollback({ orgId, rolloutId: w.rolloutId, reason: "tenancy test" }),
  "rollouts.approve": (c, orgId, w) => c.rollouts.approve({ orgId, rolloutId: w.rolloutId, reason: "tenancy test" }),
  "rollouts.skipGuard": (c, orgId, w) => c.rollouts.skipGuard({ orgId, rolloutId: w.rolloutId, metric: "error_rate", reason: "tenancy test" }),
  // The caller's own account: it takes no org and no id; it must not reach anyone else's.
  "account.changePassword": (c) => c.account.changePassword({ currentPassword: "not-the-password", newPassword: "a new password long enough" }),
};

/** Procedures that take no org: they act on the caller's own account only. */
const USER_SCOPED = new Set(["org.mine", "account.changePassword"]);

const REFUSED = new Set(["FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "CONFLICT"]);
const ROLES: Role[] = ["owner", "admin", "compliance", "team_lead", "viewer"];

const flatProcedures = appRouter._def.procedures as unknown as Record<string, unknown>;

function serialise(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item)) ?? "";
}

/** Refused, or answered with nothing that belongs to `w`. */
async function refusedOrBlind(call: Promise<unknown>, w: World): Promise<{ ok: boolean; detail: string }> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    return { ok: REFUSED.has(code), detail: `threw ${code}: ${(error as Error).message}` };
  }
  const text = serialise(result);
  const leaked = w.markers.filter((marker) => text.includes(marker));
  return { ok: leaked.length === 0, detail: leaked.length ? `answered with ${leaked.join(", ")}: ${text.slice(0, 300)}` : "answered with nothing of theirs" };
}

/** Everything org B holds, as one string: it must not change while org A's people try. */
async function fingerprint(orgId: string): Promise<string> {
  const db = testDb();
  const where = { where: { orgId } };
  const parts = await Promise.all([
    db.org.findUnique({ where: { id: orgId } }),
    db.team.findMany({ ...where, orderBy: { id: "asc" } }),
    db.membership.findMany({ ...where, include: { teams: true }, orderBy: { id: "asc" } }),
    db.agent.findMany({ ...where, orderBy: { id: "asc" } }),
    db.apiKey.findMany({ ...where, orderBy: { id: "asc" } }),
    db.budget.findMany({ ...where, orderBy: { id: "asc" } }),
    db.policy.findMany({ ...where, orderBy: { id: "asc" } }),
    db.approval.findMany({ ...where, orderBy: { id: "asc" } }),
    db.alert.findMany({ ...where, orderBy: { id: "asc" } }),
    db.webhook.findMany({ ...where, orderBy: { id: "asc" } }),
    db.killSwitch.findMany({ ...where, orderBy: { id: "asc" } }),
    db.invitation.findMany({ ...where, orderBy: { id: "asc" } }),
    db.model.findMany({ ...where, orderBy: { name: "asc" } }),
    db.routingRule.findMany({ ...where, orderBy: { taskType: "asc" } }),
    db.agentVersion.findMany({ ...where, orderBy: { id: "asc" } }),
    // The rollout evaluator (a background job another test file may run meanwhile) stamps when it
    // last judged every running rollout: that bookkeeping is the system's, not a caller's write.
    db.rollout.findMany({ ...where, omit: { lastEvaluatedAt: true, lastEvaluation: true }, orderBy: { id: "asc" } }),
    db.releaseEvent.count(where),
    db.incident.findMany({ ...where, orderBy: { id: "asc" } }),
    db.auditEntry.count(where),
    db.user.findMany({ where: { memberships: { some: { orgId } } }, select: { id: true, email: true, name: true, passwordHash: true, sessionsValidFrom: true }, orderBy: { id: "asc" } }),
  ]);
  return serialise(parts);
}

test("every procedure of the API has a tenancy case, and every case a procedure", () => {
  const paths = Object.keys(flatProcedures);
  const missing = paths.filter((path) => !(path in CASES)).map((path) => `"${path}" has no case in test/integration/tenancy-matrix.int.test.ts`);
  expect(missing).toEqual([]);
  expect(Object.keys(CASES).filter((path) => !paths.includes(path))).toEqual([]);
});

describe("across the org boundary", () => {
  // Each role of A works in its own org A (so one role's changes cannot hide another's leak); one org B.
  const orgsA = new Map<Role, { org: TestOrg; world: World }>();
  let orgB: TestOrg;
  let worldB: World;
  let before = "";

  beforeAll(async () => {
    orgB = await createTestOrg();
    // B's teams get names no other org has, so they count as B's own.
    for (const team of orgB.teams) await testDb().team.update({ where: { id: team.id }, data: { name: `B-${team.name}-${randomUUID().slice(0, 6)}` } });
    worldB = await seedWorld(orgB, orgB.leadTeamId, "orgb");
    worldB.markers.push(orgB.id, orgB.slug, ...orgB.teams.map((team) => team.id), ...Object.values(orgB.users).flatMap((user) => [user.userId, user.email, user.membershipId]));
    for (const role of ROLES) {
      const org = await createTestOrg();
      orgsA.set(role, { org, world: await seedWorld(org, org.leadTeamId, `a-${role}`) });
    }
    before = await fingerprint(orgB.id);
  }, 120_000);

  for (const role of ROLES) {
    describe(`every role of org A: ${role}`, () => {
      test.each(Object.keys(CASES))("%s", async (path) => {
        const run = CASES[path];
        const a = orgsA.get(role);
        if (!run || !a) throw new Error(`no case for ${path}`);
        const caller = callerFor(a.org.users[role].userId);

        if (!USER_SCOPED.has(path)) {
          // 1. Naming org B itself: a stranger there is refused.
          expect(await errorCode(run(caller, orgB.id, worldB)), `${path} naming org B`).toBe("FORBIDDEN");
        }
        // 2. Naming org A, with B's ids: refused, or nothing of B in the answer.
        const verdict = await refusedOrBlind(run(caller, a.org.id, worldB), worldB);
        expect(verdict.ok, `${path} as ${role} of A with B's ids ${verdict.detail}`).toBe(true);
      });
    });
  }

  test("org B is exactly as it was", async () => {
    expect(await fingerprint(orgB.id)).toBe(before);
  });
});

/** Procedures whose answer is org-wide by design for every reader (docs/concepts.md: policies, models, routing, org settings). */
const ORG_WIDE_FOR_LEADS = new Set(["policies.list", "policies.get", "policies.impact", "models.list", "models.upsert", "routing.overview", "routing.upsertRule"]);

describe("across team scopes: a team lead and another team's things", () => {
  let org: TestOrg;
  let otherTeam: World;
  let before = "";

  beforeAll(async () => {
    org = await createTestOrg();
    await seedWorld(org, org.leadTeamId, "lead-own");
    otherTeam = await seedWorld(org, org.otherTeamId, "other-team");
    // Org-wide things (policies, models, routing rules, webhooks, invitations) are not the team's: only its own things count.
    otherTeam.markers = otherTeam.teamMarkers;
    before = await teamFingerprint(org.id, org.otherTeamId);
  }, 60_000);

  async function teamFingerprint(orgId: string, teamId: string): Promise<string> {
    const db = testDb();
    const parts = await Promise.all([
      db.agent.findMany({ where: { orgId, teamId }, orderBy: { id: "asc" } }),
      db.apiKey.findMany({ where: { orgId, agent: { teamId } }, orderBy: { id: "asc" } }),
      db.budget.findMany({ where: { orgId, teamId }, orderBy: { id: "asc" } }),
      db.approval.findMany({ where: { orgId, teamId }, orderBy: { id: "asc" } }),
      db.alert.findMany({ where: { orgId, teamId }, orderBy: { id: "asc" } }),
      db.killSwitch.findMany({ where: { orgId, teamId }, orderBy: { id: "asc" } }),
      db.team.findUnique({ where: { id: teamId } }),
    ]);
    return serialise(parts);
  }

  test.each(Object.keys(CASES).filter((path) => !USER_SCOPED.has(path) && !ORG_WIDE_FOR_LEADS.has(path)))("%s", async (path) => {
    const run = CASES[path];
    if (!run) throw new Error(`no case for ${path}`);
    const lead = callerFor(org.users.team_lead.userId);
    const verdict = await refusedOrBlind(run(lead, org.id, otherTeam), otherTeam);
    expect(verdict.ok, `${path} as the lead of another team ${verdict.detail}`).toBe(true);
  });

  test("the other team's things are exactly as they were", async () => {
    expect(await teamFingerprint(org.id, org.otherTeamId)).toBe(before);
  });
});

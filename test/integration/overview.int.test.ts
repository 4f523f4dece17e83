// The Overview dashboard's one query: what each role sees, and that a team lead's figures cover
// their teams' agents only (agents, spend, budget, activity, incidents).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestOrg, testDb, type TestOrg } from "./helpers";

let org: TestOrg;
const ids = { mine: "", theirs: "", stray: "", retired: "" };
const now = new Date();
const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
const thisHour = new Date(now.getTime());
thisHour.setUTCMinutes(0, 0, 0);

beforeAll(async () => {
  org = await createTestOrg();
  const db = testDb();
  const agent = async (name: string, teamId: string | null, status: "active" | "discovered" | "archived" = "active") =>
    (await db.agent.create({ data: { orgId: org.id, name: `${name}-${randomUUID().slice(0, 6)}`, teamId, status } })).id;
  ids.mine = await agent("mine", org.leadTeamId);
  ids.theirs = await agent("theirs", org.otherTeamId);
  ids.stray = await agent("stray", null, "discovered");
  ids.retired = await agent("retired", org.leadTeamId, "archived");

  // Both registered agents beat just now; the other team's is stopped by a kill switch.
  for (const agentId of [ids.mine, ids.theirs]) {
    await db.agentInstance.create({ data: { orgId: org.id, agentId, instanceId: "i-1", lastHeartbeatAt: new Date() } });
  }
  await db.killSwitch.create({ data: { orgId: org.id, scope: "agent", target: ids.theirs, teamId: org.otherTeamId, reason: "runaway", engagedBy: "owner@test.invalid" } });

  await db.spendDaily.createMany({
    data: [
      { orgId: org.id, agentId: ids.mine, teamId: org.leadTeamId, day: today, costMicros: 5_000_000n },
      { orgId: org.id, agentId: ids.theirs, teamId: org.otherTeamId, day: today, costMicros: 7_000_000n },
    ],
  });
  await db.eventRollupHourly.createMany({
    data: [
      { orgId: org.id, agentId: ids.mine, teamId: org.leadTeamId, model: "gpt-test", hour: thisHour, events: 10, llmCalls: 8, toolCalls: 2, errors: 1, costMicros: 5_000_000n },
      { orgId: org.id, agentId: ids.theirs, teamId: org.otherTeamId, model: "gpt-test", hour: thisHour, events: 100, llmCalls: 90, toolCalls: 0, errors: 10, costMicros: 7_000_000n },
    ],
  });
  await db.budget.createMany({
    data: [
      { orgId: org.id, scope: "org", scopeKey: "org", period: "monthly", mode: "soft", limitMicros: 100_000_000n },
      { orgId: org.id, scope: "team", scopeKey: `team:${org.leadTeamId}`, teamId: org.leadTeamId, period: "monthly", mode: "soft", limitMicros: 20_000_000n },
      { orgId: org.id, scope: "team", scopeKey: `team:${org.otherTeamId}`, teamId: org.otherTeamId, period: "monthly", mode: "soft", limitMicros: 50_000_000n },
    ],
  });
  await db.alert.createMany({
    data: [
      { orgId: org.id, kind: "loop_detected", severity: "critical", title: "Their loop", teamId: org.otherTeamId, agentId: ids.theirs },
      { orgId: org.id, kind: "budget_threshold", severity: "warning", title: "My budget at 80 %", teamId: org.leadTeamId },
      { orgId: org.id, kind: "budget_threshold", severity: "info", title: "Org budget at 50 %", teamId: null },
      { orgId: org.id, kind: "budget_threshold", severity: "info", title: "Acknowledged", teamId: null, acknowledgedAt: new Date(), acknowledgedBy: "x" },
    ],
  });
  const approval = (agentId: string, teamId: string) => ({
    orgId: org.id,
    agentId,
    teamId,
    decisionId: randomUUID(),
    actionType: "tool",
    actionName: "issue_refund",
    arguments: { amount: 250, card: "secret" },
    expiresAt: new Date(Date.now() + 30 * 60_000),
  });
  await db.approval.createMany({ data: [approval(ids.mine, org.leadTeamId), approval(ids.theirs, org.otherTeamId)] });
});

describe("overview.summary", () => {
  test("an org-wide viewer sees every team's agents, spend against the org budget, and every incident", async () => {
    const summary = await callerFor(org.users.viewer.userId).overview.summary({ orgId: org.id });
    expect(summary.scope.kind).toBe("org");
    expect(summary.agents).toMatchObject({ total: 3, active: 2, discovered: 1, archived: 1, health: { healthy: 1, halted: 1, stale: 0, unknown: 1 } });
    expect(summary.agents.discoveredList.map((agent) => agent.id)).toEqual([ids.stray]);
    expect(summary.spend.monthToDateMicros).toBe(12_000_000n);
    expect(summary.spend.limitMicros).toBe(100_000_000n);
    expect(summary.spend.budgetLabel).toBe("Organisation monthly budget");
    expect(new Set(summary.spend.daily.map((row) => row.agentId))).toEqual(new Set([ids.mine, ids.theirs]));
    expect(summary.activity.calls).toBe(100);
    expect(summary.incidents.killSwitches.total).toBe(1);
    expect(summary.incidents.alerts).toMatchObject({ total: 3, critical: 1 });
    expect(summary.incidents.tone).toBe("bad");
    // Viewers learn how many approvals wait, not who asked for what (the queue is the deciders').
    expect(summary.incidents.approvals.total).toBe(2);
    expect(summary.incidents.approvals.items).toBeNull();
  });

  test("an owner sees the approvals that wait, without their arguments", async () => {
    const summary = await callerFor(org.users.owner.userId).overview.summary({ orgId: org.id });
    expect(summary.incidents.approvals.items?.map((item) => item.agent.id).sort()).toEqual([ids.mine, ids.theirs].sort());
    expect(JSON.stringify(summary.incidents.approvals.items)).not.toContain("secret");
  });

  test("a team lead's figures cover only their teams: agents, spend, budget, activity and incidents", async () => {
    const summary = await callerFor(org.users.team_lead.userId).overview.summary({ orgId: org.id });
    const leadTeam = org.teams.find((team) => team.id === org.leadTeamId);
    expect(summary.scope).toEqual({ kind: "teams", teamNames: [leadTeam?.name] });
    // The other team's agent and the unassigned discovered one are out of reach.
    expect(summary.agents).toMatchObject({ total: 1, active: 1, discovered: 0, archived: 1, health: { healthy: 1, halted: 0, stale: 0, unknown: 0 } });
    expect(summary.agents.discoveredList).toEqual([]);
    expect(summary.spend.monthToDateMicros).toBe(5_000_000n);
    expect(summary.spend.limitMicros).toBe(20_000_000n);
    expect(summary.spend.budgetLabel).toBe(`${leadTeam?.name} monthly budget`);
    expect(summary.spend.daily.map((row) => row.agentId)).toEqual([ids.mine]);
    expect(summary.spend.agents.map((agent) => agent.id).sort()).toEqual([ids.mine, ids.retired].sort());
    expect(summary.spend.teams.map((team) => team.id)).toEqual([org.leadTeamId]);
    expect(summary.activity).toMatchObject({ calls: 10, errorRatePercent: 10 });
    // Another team's kill switch and alert stay hidden; the org-wide alert is shown.
    expect(summary.incidents.killSwitches.total).toBe(0);
    expect(summary.incidents.alerts.total).toBe(2);
    expect(summary.incidents.alerts.items.map((alert) => alert.title).sort()).toEqual(["My budget at 80 %", "Org budget at 50 %"]);
    expect(summary.incidents.approvals.total).toBe(1);
    expect(summary.incidents.approvals.items?.map((item) => item.agent.id)).toEqual([ids.mine]);
    expect(JSON.stringify(summary, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toContain(ids.theirs);
  });

  test("an org with nothing yet answers zeros and no budget, not an error", async () => {
    const empty = await createTestOrg();
    const summary = await callerFor(empty.users.owner.userId).overview.summary({ orgId: empty.id });
    expect(summary.agents).toMatchObject({ total: 0, archived: 0, discoveredList: [] });
    expect(summary.spend).toMatchObject({ monthToDateMicros: 0n, forecastMicros: 0n, limitMicros: null, status: "no_budget", daily: [] });
    expect(summary.activity).toMatchObject({ calls: 0, errorRatePercent: null, callsChangePercent: null });
    expect(summary.incidents).toMatchObject({ total: 0, tone: "good" });
  });
});

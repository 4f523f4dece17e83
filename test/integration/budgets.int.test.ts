// Budgets against the real database: the hard cap under concurrent reservations, exact spend
// under concurrent ingest, a period rollover mid-traffic, expiry and settlement of reservations,
// the halt directive and alerts. Nothing here is mocked; `now` is injected where time matters.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AgentPrincipal } from "../../server/agent-api/auth";
import { directivesFor } from "../../server/agent-api/directives";
import { ingestEvents, storeEvents } from "../../server/agent-api/ingest";
import type { AgentEvent } from "../../server/agent-api/schemas";
import {
  budgetDirective,
  checkBudgetAlerts,
  expireReservations,
  RESERVATION_TTL_MS,
  reserveBudgets,
  settleReservations,
  type ReserveResult,
} from "../../server/data/budgets";
import { getPool } from "../../server/db/pool";
import { REDACTION_DETECTORS } from "../../server/domain/redaction/redact";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

afterAll(async () => {
  await getPool().end();
});

interface TestAgent {
  id: string;
  name: string;
  teamId: string | null;
}

async function createAgent(org: TestOrg, teamId: string | null, name = `agent-${randomUUID().slice(0, 8)}`): Promise<TestAgent> {
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId } });
  return { id: agent.id, name: agent.name, teamId: agent.teamId };
}

async function createBudget(
  org: TestOrg,
  input: { scope: "org" | "team" | "agent"; teamId?: string | null; agentId?: string | null; period: "daily" | "monthly"; mode: "hard" | "soft"; limitMicros: bigint },
) {
  const teamId = input.teamId ?? null;
  const agentId = input.agentId ?? null;
  const scopeKey = input.scope === "org" ? "org" : input.scope === "team" ? `team:${teamId}` : `agent:${agentId}`;
  return testDb().budget.create({ data: { orgId: org.id, scope: input.scope, scopeKey, teamId, agentId, period: input.period, mode: input.mode, limitMicros: input.limitMicros } });
}

async function setSpend(org: TestOrg, agent: TestAgent, day: string, costMicros: bigint) {
  await testDb().spendDaily.upsert({
    where: { agentId_day: { agentId: agent.id, day: new Date(`${day}T00:00:00Z`) } },
    create: { orgId: org.id, agentId: agent.id, teamId: agent.teamId, day: new Date(`${day}T00:00:00Z`), costMicros },
    update: { costMicros },
  });
}

function principalFor(org: TestOrg, agent: TestAgent): AgentPrincipal {
  return {
    keyId: "00000000-0000-0000-0000-000000000000",
    orgId: org.id,
    kind: "agent",
    agent: { id: agent.id, name: agent.name, teamId: agent.teamId, status: "active", teamName: null, tags: [], riskClass: null, tools: [], models: [], dataCategories: [], loopThreshold: null, loopWindowSec: null },
    redaction: new Set(REDACTION_DETECTORS),
  };
}

async function usage(budgetId: string) {
  return testDb().budgetUsage.findMany({ where: { budgetId }, orderBy: { periodStart: "asc" } });
}

const reserve = (org: TestOrg, agent: TestAgent, amountMicros: bigint, now: Date, decisionId: string = randomUUID()) =>
  reserveBudgets({ orgId: org.id, agent: { id: agent.id, teamId: agent.teamId }, decisionId, amountMicros, now });

const NOW = new Date("2026-11-20T12:00:00Z");

beforeAll(() => {
  // The hot path's pool: 20 connections, as a replica would run it.
  expect(getPool().options.max).toBe(20);
});

describe("the hard cap under concurrency", () => {
  test("200 concurrent equal reservations: exactly floor(remaining / amount) are allowed, and the sum never passes the limit", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const budget = await createBudget(org, { scope: "agent", agentId: agent.id, period: "daily", mode: "hard", limitMicros: 1_000_000n });
    await setSpend(org, agent, "2026-11-20", 203_000n); // remaining 797,000
    const amount = 7_000n;

    const results = await Promise.all(Array.from({ length: 200 }, () => reserve(org, agent, amount, NOW)));
    const allowed = results.filter((result) => result.ok).length;
    expect(allowed).toBe(Number(797_000n / amount)); // 113
    const [row] = await usage(budget.id);
    expect(row?.reservedMicros).toBe(BigInt(allowed) * amount);
    expect(203_000n + (row?.reservedMicros ?? 0n)).toBeLessThanOrEqual(1_000_000n);
    const refused = results.find((result): result is Extract<ReserveResult, { ok: false }> => !result.ok);
    expect(refused).toMatchObject({ budgetId: budget.id, scope: "agent", remainingMicros: 797_000n - 113n * amount });
    expect(refused?.message).toMatch(/^Budget exhausted: this agent's daily hard budget of \$1\.00 has \$0\.0060 left, and this action is estimated at \$0\.0070\.$/);
    expect(await testDb().budgetReservation.count({ where: { orgId: org.id, status: "held" } })).toBe(allowed);
  });

  test("several agents, several budgets at once (agent, team, org) and mixed amounts: no budget passes its limit, and every refusal was necessary", async () => {
    const org = await createTestOrg();
    const agents = await Promise.all([createAgent(org, org.leadTeamId), createAgent(org, org.leadTeamId), createAgent(org, org.otherTeamId)]);
    const [a, b, c] = agents as [TestAgent, TestAgent, TestAgent];
    const budgets = {
      a: await createBudget(org, { scope: "agent", agentId: a.id, period: "daily", mode: "hard", limitMicros: 300_000n }),
      team: await createBudget(org, { scope: "team", teamId: org.leadTeamId, period: "monthly", mode: "hard", limitMicros: 700_000n }),
      org: await createBudget(org, { scope: "org", period: "monthly", mode: "hard", limitMicros: 1_000_000n }),
      soft: await createBudget(org, { scope: "agent", agentId: b.id, period: "monthly", mode: "soft", limitMicros: 1n }),
    };
    const calls = Array.from({ length: 200 }, (_, index) => ({ agent: agents[index % 3] as TestAgent, amount: BigInt(3_000 + ((index * 7919) % 17_000)) }));
    const results = await Promise.all(calls.map((call) => reserve(org, call.agent, call.amount, NOW)));

    const held = async (budgetId: string) => (await usage(budgetId))[0]?.reservedMicros ?? 0n;
    const reservedA = await held(budgets.a.id);
    const reservedTeam = await held(budgets.team.id);
    const reservedOrg = await held(budgets.org.id);
    expect(reservedA).toBeLessThanOrEqual(300_000n);
    expect(reservedTeam).toBeLessThanOrEqual(700_000n);
    expect(reservedOrg).toBeLessThanOrEqual(1_000_000n);

    // Each budget holds exactly what was allowed for the agents it governs.
    const allowedSum = (filter: (agent: TestAgent) => boolean) =>
      calls.reduce((sum, call, index) => (results[index]?.ok && filter(call.agent) ? sum + call.amount : sum), 0n);
    expect(reservedA).toBe(allowedSum((agent) => agent.id === a.id));
    expect(reservedTeam).toBe(allowedSum((agent) => agent.teamId === org.leadTeamId));
    expect(reservedOrg).toBe(allowedSum(() => true));
    // The soft budget (limit $0.000001) held everything and refused nothing.
    expect(await held(budgets.soft.id)).toBe(allowedSum((agent) => agent.id === b.id));

    // Reservations only grow here, so a refusal was necessary only if the amount still does not fit at the end.
    const final = new Map([
      [budgets.a.id, 300_000n - reservedA],
      [budgets.team.id, 700_000n - reservedTeam],
      [budgets.org.id, 1_000_000n - reservedOrg],
    ]);
    results.forEach((result, index) => {
      if (result.ok) return;
      expect(final.get(result.budgetId)).toBeLessThan(calls[index]?.amount ?? 0n);
    });
    expect(results.some((result) => !result.ok)).toBe(true);
    expect(results.filter((result) => !result.ok).every((result) => result.ok === false && result.budgetId !== budgets.soft.id)).toBe(true);
    void c;
  });

  test("an agent with no budget at all is allowed without a reservation", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, null);
    expect(await reserve(org, agent, 5_000n, NOW)).toEqual({ ok: true, reservationId: null });
  });
});

describe("spend from concurrent ingest", () => {
  test("SpendDaily equals the exact sum of the costs, and re-sent events are not counted twice", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const principal = principalFor(org, agent);
    let expected = 0n;
    const batches = Array.from({ length: 40 }, (_, batch) =>
      Array.from({ length: 25 }, (_, index): AgentEvent => {
        const micros = BigInt(((batch * 25 + index) * 104_729) % 1_000_000) + 1n; // up to $1 with six decimals
        expected += micros;
        // Half on the 20th, half on the 21st (UTC): two SpendDaily rows.
        const day = index % 2 === 0 ? "2026-11-20T23:59:59.999Z" : "2026-11-21T00:00:00.000Z";
        return { id: `e-${batch}-${index}`, type: "llm_call", timestamp: day, costUsd: `0.${micros.toString().padStart(6, "0")}` };
      }),
    );
    // Every batch twice, concurrently: the copies are duplicates.
    const results = await Promise.all([...batches, ...batches].map((events) => storeEvents(principal, events.map((event, index) => ({ index, event })))));
    expect(results.reduce((sum, result) => sum + result.accepted, 0)).toBe(1000);

    const rows = await testDb().spendDaily.findMany({ where: { agentId: agent.id }, orderBy: { day: "asc" } });
    expect(rows.map((row) => row.day.toISOString().slice(0, 10))).toEqual(["2026-11-20", "2026-11-21"]);
    expect(rows.reduce((sum, row) => sum + row.costMicros, 0n)).toBe(expected);
    expect(rows.every((row) => row.teamId === org.leadTeamId)).toBe(true);
    const events = await testDb().event.aggregate({ where: { agentId: agent.id }, _sum: { costMicros: true } });
    expect(events._sum.costMicros).toBe(expected);
  });
});

describe("a period rollover in the middle of traffic", () => {
  test("reservations before midnight UTC count against the old day, after it against the new one; neither passes its limit", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const budget = await createBudget(org, { scope: "agent", agentId: agent.id, period: "daily", mode: "hard", limitMicros: 100_000n });
    await setSpend(org, agent, "2026-11-20", 40_000n); // yesterday's spend does not carry over
    const before = new Date("2026-11-20T23:59:59.990Z");
    const after = new Date("2026-11-21T00:00:00.005Z");
    const calls = Array.from({ length: 120 }, (_, index) => (index % 2 === 0 ? before : after));
    const results = await Promise.all(calls.map((now) => reserve(org, agent, 10_000n, now)));

    const allowedAt = (now: Date) => calls.filter((call, index) => call === now && results[index]?.ok).length;
    expect(allowedAt(before)).toBe(6); // (100,000 − 40,000) / 10,000
    expect(allowedAt(after)).toBe(10); // a fresh day
    const rows = await usage(budget.id);
    expect(rows.map((row) => [row.periodStart.toISOString(), row.reservedMicros])).toEqual([
      ["2026-11-20T00:00:00.000Z", 60_000n],
      ["2026-11-21T00:00:00.000Z", 100_000n],
    ]);
  });

  test("a monthly budget rolls over on the 1st, 00:00 UTC", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    await createBudget(org, { scope: "org", period: "monthly", mode: "hard", limitMicros: 50_000n });
    await setSpend(org, agent, "2026-11-30", 50_000n);
    expect((await reserve(org, agent, 1n, new Date("2026-11-30T23:59:59.999Z"))).ok).toBe(false);
    expect((await reserve(org, agent, 50_000n, new Date("2026-12-01T00:00:00.000Z"))).ok).toBe(true);
  });
});

describe("reservations expire and settle", () => {
  test("unsettled reservations are released after ten minutes, once, however many sweepers run", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const budget = await createBudget(org, { scope: "agent", agentId: agent.id, period: "monthly", mode: "hard", limitMicros: 100_000n });
    const now = new Date("2031-05-10T10:00:00Z"); // far from every other test's reservations
    for (let i = 0; i < 10; i++) expect((await reserve(org, agent, 10_000n, now)).ok).toBe(true);
    expect((await reserve(org, agent, 1n, now)).ok).toBe(false);

    // Another org's expired reservations may be swept by these calls too: count only ours.
    const ours = () => testDb().budgetReservation.count({ where: { orgId: org.id, status: "expired" } });
    await expireReservations(new Date(now.getTime() + RESERVATION_TTL_MS - 1));
    expect(await ours()).toBe(0);
    await Promise.all(Array.from({ length: 4 }, () => expireReservations(new Date(now.getTime() + RESERVATION_TTL_MS))));
    expect(await ours()).toBe(10);
    expect((await usage(budget.id))[0]?.reservedMicros).toBe(0n);
    expect((await reserve(org, agent, 100_000n, now)).ok).toBe(true);
  });

  test("the event reporting the real cost settles its reservation: the estimate is released, the real cost is spent", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const budget = await createBudget(org, { scope: "agent", agentId: agent.id, period: "monthly", mode: "hard", limitMicros: 1_000_000n });
    const now = new Date();
    const decisionId = randomUUID();
    expect((await reserve(org, agent, 500_000n, now, decisionId)).ok).toBe(true);
    const other = randomUUID();
    expect((await reserve(org, agent, 200_000n, now, other)).ok).toBe(true);

    const outcome = await ingestEvents(principalFor(org, agent), {
      events: [
        { id: "call-1", type: "llm_call", timestamp: now.toISOString(), decisionId, costUsd: "0.123456" },
        { id: "call-2", type: "llm_call", timestamp: now.toISOString(), decisionId: decisionId.toUpperCase(), costUsd: 0.1 },
      ],
    });
    expect(outcome.body.accepted).toBe(2);
    const settled = await testDb().budgetReservation.findUniqueOrThrow({ where: { decisionId } });
    expect(settled).toMatchObject({ status: "settled", settledMicros: 223_456n, amountMicros: 500_000n });
    const usageRows = await usage(budget.id);
    expect(usageRows.find((row) => row.periodStart.getTime() === Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))?.reservedMicros).toBe(200_000n);
    // Directives in the same answer: spent 0.223456, reserved 0.2, remaining 0.576544.
    expect(outcome.body.directives?.budget).toMatchObject({ limitUsd: "1.000000", spentUsd: "0.223456", reservedUsd: "0.200000", remainingUsd: "0.576544" });

    // Settling again (a retry) changes nothing.
    await settleReservations(org.id, [{ decisionId, costMicros: 999n }]);
    expect((await testDb().budgetReservation.findUniqueOrThrow({ where: { decisionId } })).settledMicros).toBe(223_456n);
  });
});

describe("directives and alerts", () => {
  test("a spent hard budget halts the agent with budget_exhausted until the limit is raised", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const daily = await createBudget(org, { scope: "agent", agentId: agent.id, period: "daily", mode: "hard", limitMicros: 1_000_000n });
    await createBudget(org, { scope: "org", period: "monthly", mode: "soft", limitMicros: 10n });
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    await setSpend(org, agent, today, 1_000_000n);

    const ref = { id: agent.id, name: agent.name, teamId: agent.teamId, status: "active" };
    const halted = await directivesFor(org.id, ref);
    expect(halted).toMatchObject({ halt: true, reason: "budget_exhausted", budget: { limitUsd: "1.000000", spentUsd: "1.000000", remainingUsd: "0.000000" } });
    expect(halted.budget?.periodEnd).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString());

    await testDb().budget.update({ where: { id: daily.id }, data: { limitMicros: 2_000_000n } });
    expect(await budgetDirective(org.id, agent, { fresh: true })).toMatchObject({ halt: false, budget: { limitUsd: "2.000000", remainingUsd: "1.000000" } });
  });

  test("thresholds and exhaustion alert once per budget and period", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId, "alerting-agent");
    await createBudget(org, { scope: "team", teamId: org.leadTeamId, period: "monthly", mode: "soft", limitMicros: 10_000_000n });
    await createBudget(org, { scope: "agent", agentId: agent.id, period: "daily", mode: "hard", limitMicros: 1_000_000n });
    const now = new Date("2026-11-20T12:00:00Z");
    await setSpend(org, agent, "2026-11-20", 850_000n);

    expect(await checkBudgetAlerts(org.id, [agent.id], now)).toBe(1);
    await Promise.all([checkBudgetAlerts(org.id, [agent.id], now), checkBudgetAlerts(org.id, [agent.id], now)]);
    let alerts = await testDb().alert.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
    expect(alerts.map((alert) => [alert.kind, alert.severity, alert.title])).toEqual([
      ["budget_threshold", "warning", "Agent alerting-agent daily hard budget passed 80 %: $0.85 spent of $1.00"],
    ]);
    expect(alerts[0]?.details).toMatchObject({ thresholdsCrossed: [50, 80], spentUsd: "0.850000" });

    await setSpend(org, agent, "2026-11-20", 1_000_000n);
    expect(await checkBudgetAlerts(org.id, [agent.id], now)).toBe(1);
    expect(await checkBudgetAlerts(org.id, [agent.id], now)).toBe(0);
    alerts = await testDb().alert.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
    expect(alerts.map((alert) => [alert.kind, alert.severity])).toEqual([
      ["budget_threshold", "warning"],
      ["budget_exhausted", "critical"],
    ]);
    // The next day is a new period: nothing spent, nothing alerted.
    expect(await checkBudgetAlerts(org.id, [agent.id], new Date("2026-11-21T00:00:00Z"))).toBe(0);
  });
});

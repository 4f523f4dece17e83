// Budgets against the real database: the hard cap under concurrent decisions (the decision commit's
// group commit), exact spend under concurrent ingest, a period rollover mid-traffic, expiry and
// settlement of reservations, the halt directive and alerts. Nothing here is mocked; the decision's
// moment is injected where time matters.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { AgentPrincipal } from "../../server/agent-api/auth";
import { directivesFor } from "../../server/agent-api/directives";
import { ingestEvents } from "../../server/agent-api/ingest";
import type { AgentEvent, DecideResponse } from "../../server/agent-api/schemas";
import { checkBudgetAlerts } from "../../server/data/budget-alerts";
import { RESERVATION_TTL_MS } from "../../server/data/decisions";
import { storeEvents } from "../../server/data/event-store";
import { forgetFacts, orgFacts } from "../../server/data/facts";
import { expireReservations, settleReservations } from "../../server/data/reservations";
import { getPool, inTransaction } from "../../server/db/pool";
import { microsToUsdString } from "../../server/domain/cost/money";
import { allowByDefault, decideAt, runDueJobs } from "./agent-api";
import { createTestOrg, testDb, type TestOrg } from "./helpers";

interface TestAgent {
  id: string;
  name: string;
  teamId: string | null;
}

async function createAgent(org: TestOrg, teamId: string | null, name = `agent-${randomUUID().slice(0, 8)}`): Promise<TestAgent> {
  await allowByDefault(org.id);
  const agent = await testDb().agent.create({ data: { orgId: org.id, name, teamId } });
  forgetFacts(org.id);
  return { id: agent.id, name: agent.name, teamId: agent.teamId };
}

async function createBudget(org: TestOrg, input: { scope: "org" | "team" | "agent"; teamId?: string | null; agentId?: string | null; period: "daily" | "monthly"; mode: "hard" | "soft"; limitMicros: bigint }) {
  const teamId = input.teamId ?? null;
  const agentId = input.agentId ?? null;
  const scopeKey = input.scope === "org" ? "org" : input.scope === "team" ? `team:${teamId}` : `agent:${agentId}`;
  const budget = await testDb().budget.create({ data: { orgId: org.id, scope: input.scope, scopeKey, teamId, agentId, period: input.period, mode: input.mode, limitMicros: input.limitMicros } });
  forgetFacts(org.id);
  return budget;
}

async function setSpend(org: TestOrg, agent: TestAgent, day: string, costMicros: bigint) {
  await testDb().spendDaily.upsert({
    where: { agentId_day: { agentId: agent.id, day: new Date(`${day}T00:00:00Z`) } },
    create: { orgId: org.id, agentId: agent.id, teamId: agent.teamId, day: new Date(`${day}T00:00:00Z`), costMicros },
    update: { costMicros },
  });
}

async function principalFor(org: TestOrg, agent: TestAgent): Promise<{ principal: AgentPrincipal; facts: Awaited<ReturnType<typeof orgFacts>> }> {
  const facts = await orgFacts(org.id);
  const profile = facts.agents.get(agent.id);
  if (!profile) throw new Error("agent not in the facts");
  return { principal: { keyId: "00000000-0000-0000-0000-000000000000", orgId: org.id, kind: "agent", agent: profile, redaction: facts.redaction }, facts };
}

async function usage(budgetId: string) {
  return testDb().budgetUsage.findMany({ where: { budgetId }, orderBy: { periodStart: "asc" } });
}

/** A tool decision estimated at `amountMicros`, at `now`; every call has arguments of its own (no loop). */
async function reserve(org: TestOrg, agent: TestAgent, amountMicros: bigint, now: Date): Promise<DecideResponse & { ok: boolean }> {
  const answer = await decideAt(org.id, agent.id, { action: { type: "tool", name: "search", arguments: { nonce: randomUUID() } }, estimatedCostUsd: microsToUsdString(amountMicros) }, now);
  return { ...answer, ok: answer.decision === "allow" };
}

const refusal = (answer: DecideResponse) => answer.reasons.find((reason) => reason.code === "budget_exhausted")?.message ?? null;

const NOW = new Date("2026-11-20T12:00:00Z");

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
    const refused = results.find((result) => !result.ok);
    expect(refused && refusal(refused)).toMatch(/^Budget exhausted: this agent's daily hard budget of \$1\.00 has \$0\.0060 left, and this action is estimated at \$0\.0070\.$/);
    expect(await testDb().budgetReservation.count({ where: { orgId: org.id, status: "held" } })).toBe(allowed);
    // Every allowed decision has exactly one row and one reservation; every refused one a row and none.
    const ids = results.map((result) => result.decisionId);
    expect(await testDb().decisionRecord.count({ where: { id: { in: ids } } })).toBe(200);
    expect(await testDb().budgetReservation.count({ where: { decisionId: { in: results.filter((result) => result.ok).map((result) => result.decisionId) } } })).toBe(allowed);
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
    const allowedSum = (filter: (agent: TestAgent) => boolean) => calls.reduce((sum, call, index) => (results[index]?.ok && filter(call.agent) ? sum + call.amount : sum), 0n);
    expect(reservedA).toBe(allowedSum((agent) => agent.id === a.id));
    expect(reservedTeam).toBe(allowedSum((agent) => agent.teamId === org.leadTeamId));
    expect(reservedOrg).toBe(allowedSum(() => true));
    // The soft budget (limit $0.000001) held everything and refused nothing.
    expect(await held(budgets.soft.id)).toBe(allowedSum((agent) => agent.id === b.id));

    // Reservations only grow here, so a refusal was necessary only if the amount still does not fit
    // at the end in the budget it names (the refusal names the tightest hard budget that refused).
    const final: Record<string, bigint> = { "this agent's": 300_000n - reservedA, "the team's": 700_000n - reservedTeam, "the organisation's": 1_000_000n - reservedOrg };
    results.forEach((result, index) => {
      if (result.ok) return;
      const message = refusal(result) ?? "";
      const scope = Object.keys(final).find((name) => message.includes(name));
      expect(scope, message).toBeDefined();
      expect(final[scope ?? ""]).toBeLessThan(calls[index]?.amount ?? 0n);
    });
    expect(results.some((result) => !result.ok)).toBe(true);
    void c;
  });

  test("an agent with no budget at all is allowed without a reservation", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, null);
    const answer = await reserve(org, agent, 5_000n, NOW);
    expect(answer.ok).toBe(true);
    expect(await testDb().budgetReservation.count({ where: { decisionId: answer.decisionId } })).toBe(0);
  });
});

describe("spend from concurrent ingest", () => {
  test("SpendDaily equals the exact sum of the costs, and re-sent events are not counted twice", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const { principal, facts } = await principalFor(org, agent);
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
    const results = await Promise.all([...batches, ...batches].map((events) => storeEvents({ orgId: org.id, agent: principal.agent, facts, valid: events.map((event, index) => ({ index, event })) })));
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
    await expireReservations({ now: new Date(now.getTime() + RESERVATION_TTL_MS - 1) });
    expect(await ours()).toBe(0);
    await Promise.all(Array.from({ length: 4 }, () => expireReservations({ now: new Date(now.getTime() + RESERVATION_TTL_MS) })));
    expect(await ours()).toBe(10);
    expect((await usage(budget.id))[0]?.reservedMicros).toBe(0n);
    expect((await reserve(org, agent, 100_000n, now)).ok).toBe(true);
  });

  test("the event reporting the real cost settles its reservation: the estimate is released, the real cost is spent", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId);
    const budget = await createBudget(org, { scope: "agent", agentId: agent.id, period: "monthly", mode: "hard", limitMicros: 1_000_000n });
    const now = new Date();
    const first = await reserve(org, agent, 500_000n, now);
    expect(first.ok).toBe(true);
    const decisionId = first.decisionId;
    expect((await reserve(org, agent, 200_000n, now)).ok).toBe(true);

    // Settlement follows the events (drained from the follow-up outbox), so the directives answered with the
    // events still count the estimate; once settled, the estimate is released.
    const { principal, facts } = await principalFor(org, agent);
    const outcome = await ingestEvents(principal, facts, {
      events: [
        { id: "call-1", type: "llm_call", timestamp: now.toISOString(), decisionId, costUsd: "0.123456" },
        { id: "call-2", type: "llm_call", timestamp: now.toISOString(), decisionId: decisionId.toUpperCase(), costUsd: 0.1 },
      ],
    });
    expect(outcome.body.accepted).toBe(2);
    expect((await testDb().budgetReservation.findUniqueOrThrow({ where: { decisionId } })).status).toBe("held");
    await runDueJobs();
    const settled = await testDb().budgetReservation.findUniqueOrThrow({ where: { decisionId } });
    expect(settled).toMatchObject({ status: "settled", settledMicros: 223_456n, amountMicros: 500_000n });
    const usageRows = await usage(budget.id);
    expect(usageRows.find((row) => row.periodStart.getTime() === Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))?.reservedMicros).toBe(200_000n);
    // Directives: spent 0.223456, reserved 0.2, remaining 0.576544.
    const refreshed = await principalFor(org, agent);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // directives read budgets at most a second old
    expect(
      (
        await directivesFor(
          refreshed.facts,
          refreshed.principal.agent ??
            (() => {
              throw new Error("no agent");
            })(),
        )
      ).budget,
    ).toMatchObject({
      limitUsd: "1.000000",
      spentUsd: "0.223456",
      reservedUsd: "0.200000",
      remainingUsd: "0.576544",
    });

    // Settling again (a retry) changes nothing.
    await inTransaction(getPool(), (client) => settleReservations(client, org.id, [{ decisionId, costMicros: 999n }]));
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

    const { principal, facts } = await principalFor(org, agent);
    const profile =
      principal.agent ??
      (() => {
        throw new Error("no agent");
      })();
    const halted = await directivesFor(facts, profile);
    expect(halted).toMatchObject({ halt: true, reason: "budget_exhausted", budget: { limitUsd: "1.000000", spentUsd: "1.000000", remainingUsd: "0.000000" } });
    expect(halted.budget?.periodEnd).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString());

    await testDb().budget.update({ where: { id: daily.id }, data: { limitMicros: 2_000_000n } });
    forgetFacts(org.id);
    const raised = await principalFor(org, agent);
    expect(await directivesFor(raised.facts, profile)).toMatchObject({ halt: false, budget: { limitUsd: "2.000000", remainingUsd: "1.000000" } });
  });

  test("thresholds and exhaustion alert once per budget and period", async () => {
    const org = await createTestOrg();
    const agent = await createAgent(org, org.leadTeamId, "alerting-agent");
    await createBudget(org, { scope: "team", teamId: org.leadTeamId, period: "monthly", mode: "soft", limitMicros: 10_000_000n });
    await createBudget(org, { scope: "agent", agentId: agent.id, period: "daily", mode: "hard", limitMicros: 1_000_000n });
    const now = new Date("2026-11-20T12:00:00Z");
    await setSpend(org, agent, "2026-11-20", 850_000n);

    expect(await checkBudgetAlerts(org.id, now)).toBe(1);
    await Promise.all([checkBudgetAlerts(org.id, now), checkBudgetAlerts(org.id, now)]);
    let alerts = await testDb().alert.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
    expect(alerts.map((alert) => [alert.kind, alert.severity, alert.title])).toEqual([["budget_threshold", "warning", "Agent alerting-agent daily hard budget passed 80 %: $0.85 spent of $1.00"]]);
    expect(alerts[0]?.details).toMatchObject({ thresholdsCrossed: [50, 80], spentUsd: "0.850000" });

    await setSpend(org, agent, "2026-11-20", 1_000_000n);
    expect(await checkBudgetAlerts(org.id, now)).toBe(1);
    expect(await checkBudgetAlerts(org.id, now)).toBe(0);
    alerts = await testDb().alert.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
    expect(alerts.map((alert) => [alert.kind, alert.severity])).toEqual([
      ["budget_threshold", "warning"],
      ["budget_exhausted", "critical"],
    ]);
    // The next day is a new period: nothing spent, nothing alerted.
    expect(await checkBudgetAlerts(org.id, new Date("2026-11-21T00:00:00Z"))).toBe(0);
  });
});

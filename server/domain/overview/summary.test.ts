import { describe, expect, test } from "vitest";
import type { ActiveSwitch } from "../killswitch/match";
import { activityWindows, compareActivity, countAgents, healthTone, incidentSummary, overviewHealth, referenceBudget, spendHeadline, type OverviewAgent } from "./summary";

const NOW = new Date("2026-11-16T00:00:00Z"); // 15 of November's 30 days have passed
const agent = (overrides: Partial<OverviewAgent> = {}): OverviewAgent => ({
  id: "a1",
  teamId: "t1",
  tags: [],
  status: "active",
  lastHeartbeatAt: new Date(NOW.getTime() - 10_000),
  heartbeatIntervalSec: 30,
  ...overrides,
});
const sw = (overrides: Partial<ActiveSwitch>): ActiveSwitch => ({ id: "s1", scope: "agent", target: "a1", reasonCode: "manual", reason: "r", revision: 1, ...overrides });
const none = { switches: [], exhaustedBudgets: [], now: NOW };

describe("overviewHealth", () => {
  test("an agent that beat within three intervals is healthy; one quiet for longer is stale; one that never beat is unknown", () => {
    expect(overviewHealth(agent(), none)).toBe("healthy");
    expect(overviewHealth(agent({ lastHeartbeatAt: new Date(NOW.getTime() - 91_000) }), none)).toBe("stale");
    expect(overviewHealth(agent({ lastHeartbeatAt: null }), none)).toBe("unknown");
  });

  test("a kill switch on the agent, its team, its tag or the org halts it; one on another team or a model does not", () => {
    const beating = agent({ tags: ["payments"] });
    expect(overviewHealth(beating, { ...none, switches: [sw({ scope: "agent", target: "a1" })] })).toBe("halted");
    expect(overviewHealth(beating, { ...none, switches: [sw({ scope: "team", target: "t1" })] })).toBe("halted");
    expect(overviewHealth(beating, { ...none, switches: [sw({ scope: "tag", target: "payments" })] })).toBe("halted");
    expect(overviewHealth(beating, { ...none, switches: [sw({ scope: "org", target: "" })] })).toBe("halted");
    expect(overviewHealth(beating, { ...none, switches: [sw({ scope: "team", target: "t2" }), sw({ scope: "model", target: "gpt-4o" })] })).toBe("healthy");
  });

  test("a spent hard budget of the agent, its team or the org halts it; another team's does not", () => {
    const team = { scope: "team" as const, teamId: "t1", agentId: null };
    expect(overviewHealth(agent(), { ...none, exhaustedBudgets: [team] })).toBe("halted");
    expect(overviewHealth(agent(), { ...none, exhaustedBudgets: [{ scope: "org", teamId: null, agentId: null }] })).toBe("halted");
    expect(overviewHealth(agent(), { ...none, exhaustedBudgets: [{ scope: "agent", teamId: null, agentId: "a1" }] })).toBe("halted");
    expect(overviewHealth(agent(), { ...none, exhaustedBudgets: [{ ...team, teamId: "t2" }] })).toBe("healthy");
  });
});

describe("countAgents", () => {
  test("counts statuses, and health only of agents that are not archived", () => {
    const counts = countAgents([
      { status: "active", health: "healthy" },
      { status: "active", health: "stale" },
      { status: "discovered", health: "unknown" },
      { status: "archived", health: "unknown" },
      { status: "active", health: "halted" },
    ]);
    expect(counts).toEqual({ total: 4, active: 3, discovered: 1, archived: 1, health: { healthy: 1, stale: 1, halted: 1, unknown: 1 } });
  });

  test("no agents: all zeros", () => {
    expect(countAgents([])).toEqual({ total: 0, active: 0, discovered: 0, archived: 0, health: { healthy: 0, stale: 0, halted: 0, unknown: 0 } });
  });
});

describe("spendHeadline", () => {
  const rows = [
    { day: "2026-10-31", costMicros: 999_000_000n }, // last month: not counted
    { day: "2026-11-01", costMicros: 100_000_000n },
    { day: "2026-11-15", costMicros: 50_000_000n },
  ];

  test("month to date counts only this UTC month, and the forecast scales it to the whole month", () => {
    const headline = spendHeadline(rows, null, NOW);
    expect(headline.monthStart).toBe("2026-11-01");
    expect(headline.monthEnd).toBe("2026-12-01");
    expect(headline.monthToDateMicros).toBe(150_000_000n);
    // Half the month gone: $150 → $300.
    expect(headline.forecastMicros).toBe(300_000_000n);
    expect(headline.status).toBe("no_budget");
    expect(headline.spentPercent).toBeNull();
  });

  test("against a budget: on track, at risk (forecast ≥ 90 %), over by forecast, exceeded", () => {
    expect(spendHeadline(rows, 1_000_000_000n, NOW)).toMatchObject({ status: "on_track", spentPercent: 15, forecastPercent: 30 });
    expect(spendHeadline(rows, 320_000_000n, NOW).status).toBe("at_risk");
    expect(spendHeadline(rows, 200_000_000n, NOW)).toMatchObject({ status: "over_forecast", spentPercent: 75, forecastPercent: 150 });
    expect(spendHeadline(rows, 150_000_000n, NOW).status).toBe("exceeded");
  });

  test("nothing spent against a budget is on track, even a zero budget", () => {
    expect(spendHeadline([], 0n, NOW).status).toBe("on_track");
    expect(spendHeadline([], 5_000_000n, NOW)).toMatchObject({ monthToDateMicros: 0n, forecastMicros: 0n, status: "on_track" });
  });
});

describe("referenceBudget", () => {
  const budgets = [
    { scope: "org" as const, period: "monthly" as const, teamId: null, teamName: null, limitMicros: 5_000_000_000n },
    { scope: "org" as const, period: "daily" as const, teamId: null, teamName: null, limitMicros: 1n },
    { scope: "team" as const, period: "monthly" as const, teamId: "fin", teamName: "Finance", limitMicros: 800_000_000n },
    { scope: "team" as const, period: "monthly" as const, teamId: "it", teamName: "IT", limitMicros: 200_000_000n },
    { scope: "agent" as const, period: "monthly" as const, teamId: "fin", teamName: "Finance", limitMicros: 5n },
  ];

  test("org-wide viewers measure against the org's monthly budget", () => {
    expect(referenceBudget(budgets, { kind: "org" })).toEqual({ limitMicros: 5_000_000_000n, label: "Organisation monthly budget" });
  });

  test("a team lead measures against their own teams' monthly budgets, added up", () => {
    expect(referenceBudget(budgets, { kind: "teams", teamIds: ["fin"] })).toEqual({ limitMicros: 800_000_000n, label: "Finance monthly budget" });
    expect(referenceBudget(budgets, { kind: "teams", teamIds: ["it", "fin"] })).toEqual({ limitMicros: 1_000_000_000n, label: "Monthly budgets of Finance, IT" });
  });

  test("no monthly budget: null", () => {
    expect(
      referenceBudget(
        budgets.filter((budget) => budget.scope !== "org"),
        { kind: "org" },
      ),
    ).toBeNull();
    expect(referenceBudget(budgets, { kind: "teams", teamIds: ["marketing"] })).toBeNull();
  });
});

describe("compareActivity", () => {
  test("calls are LLM plus tool calls; the error rate is errors per event; changes against the previous day", () => {
    const result = compareActivity({ events: 400, llmCalls: 250, toolCalls: 50, errors: 8 }, { events: 200, llmCalls: 150, toolCalls: 50, errors: 2 });
    expect(result).toEqual({
      calls: 300,
      previousCalls: 200,
      callsChangePercent: 50,
      errorRatePercent: 2,
      previousErrorRatePercent: 1,
      errorRateChangePoints: 1,
    });
  });

  test("no traffic before: no change to show, rather than an infinite one", () => {
    const result = compareActivity({ events: 10, llmCalls: 10, toolCalls: 0, errors: 0 }, { events: 0, llmCalls: 0, toolCalls: 0, errors: 0 });
    expect(result.callsChangePercent).toBeNull();
    expect(result.errorRatePercent).toBe(0);
    expect(result.previousErrorRatePercent).toBeNull();
    expect(result.errorRateChangePoints).toBeNull();
  });
});

test("activityWindows: 24 whole hours ending with the current one, and the 24 before", () => {
  const windows = activityWindows(new Date("2026-11-16T10:42:00Z"));
  expect(windows).toEqual({
    previousStart: new Date("2026-11-14T11:00:00Z"),
    currentStart: new Date("2026-11-15T11:00:00Z"),
    end: new Date("2026-11-16T11:00:00Z"),
  });
});

describe("tones", () => {
  test("incidents: red with a kill switch or a critical alert, amber with anything else open, green with nothing", () => {
    expect(incidentSummary({ killSwitches: 1, openAlerts: 0, criticalAlerts: 0, pendingApprovals: 0 })).toEqual({ total: 1, tone: "bad" });
    expect(incidentSummary({ killSwitches: 0, openAlerts: 2, criticalAlerts: 1, pendingApprovals: 1 })).toEqual({ total: 3, tone: "bad" });
    expect(incidentSummary({ killSwitches: 0, openAlerts: 2, criticalAlerts: 0, pendingApprovals: 1 })).toEqual({ total: 3, tone: "warn" });
    expect(incidentSummary({ killSwitches: 0, openAlerts: 0, criticalAlerts: 0, pendingApprovals: 0 })).toEqual({ total: 0, tone: "good" });
  });

  test("health: red with a halted agent, amber with a stale one, green otherwise", () => {
    expect(healthTone({ healthy: 3, stale: 1, halted: 1, unknown: 0 })).toBe("bad");
    expect(healthTone({ healthy: 3, stale: 1, halted: 0, unknown: 0 })).toBe("warn");
    expect(healthTone({ healthy: 3, stale: 0, halted: 0, unknown: 2 })).toBe("good");
  });
});

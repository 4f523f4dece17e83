import { describe, expect, it } from "vitest";
import { INCIDENT, incidentDay, isMonthEndClose, planHistory, type PlannedAgent } from "./history";

const NOW = new Date("2026-11-25T15:30:00Z"); // a Wednesday
const plan = planHistory({ days: 21, now: NOW });
const DAY_MS = 86_400_000;

const agent = (name: string): PlannedAgent => {
  const found = plan.find((planned) => planned.member.agent === name);
  if (!found) throw new Error(name);
  return found;
};
const dayOf = (timestamp: string) => timestamp.slice(0, 10);
function tasksPerDay(name: string, from: PlannedAgent[] = plan): Map<string, number> {
  const perDay = new Map<string, number>();
  const planned = from.find((candidate) => candidate.member.agent === name);
  for (const event of planned?.events ?? []) if (event.type === "task_start") perDay.set(dayOf(event.timestamp), (perDay.get(dayOf(event.timestamp)) ?? 0) + 1);
  return perDay;
}

describe("the demo history plan", () => {
  it("is the same for the same seed and moment", () => {
    // The plans' events (members carry functions, which are equal in behaviour, not identity).
    const events = () => planHistory({ days: 3, now: NOW }).map((planned) => [planned.member.agent, planned.events]);
    expect(events()).toEqual(events());
  });

  it("gives ticket-router's canary instances the candidate's version only since the rollout reached them", () => {
    const router = plan.find((planned) => planned.member.agent === "ticket-router");
    if (!router) throw new Error("no ticket-router in the plan");
    const versions = new Set(router.events.map((event) => event.version));
    expect(versions).toEqual(new Set(["2.0.3", "2.1.0", "2.2.0"]));
    for (const event of router.events) {
      const ago = NOW.getTime() - Date.parse(event.timestamp);
      if (event.version === "2.2.0") {
        expect(ago).toBeLessThan(26 * 3_600_000);
        expect(["ticket-router-3", "ticket-router-8"]).toContain(event.instanceId);
      }
      if (event.version === "2.0.3") expect(ago).toBeGreaterThan(12 * 86_400_000);
    }
  });

  it("has tens of thousands of events inside the window, with ids unique per agent", () => {
    const total = plan.reduce((sum, planned) => sum + planned.events.length, 0);
    expect(total).toBeGreaterThan(50_000);
    expect(total).toBeLessThan(100_000);
    for (const planned of plan) {
      expect(new Set(planned.events.map((event) => event.id)).size).toBe(planned.events.length);
      const times = planned.events.map((event) => Date.parse(event.timestamp));
      expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
      expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW.getTime() - 21 * DAY_MS - 3_600_000);
    }
  });

  it("is busier on weekdays than at weekends for office agents", () => {
    const perDay = tasksPerDay("ticket-router");
    expect(perDay.get("2026-11-18") ?? 0).toBeGreaterThan(3 * (perDay.get("2026-11-22") ?? 0)); // Wednesday vs Sunday
  });

  it("gives Finance its month-end close", () => {
    expect(isMonthEndClose(new Date("2026-11-03T12:00:00Z"))).toBe(true); // 2nd business day
    expect(isMonthEndClose(new Date("2026-10-30T12:00:00Z"))).toBe(true); // last business day of October
    expect(isMonthEndClose(new Date("2026-11-12T12:00:00Z"))).toBe(false);
    const december = planHistory({ days: 21, now: new Date("2026-12-04T18:00:00Z") });
    const perDay = tasksPerDay("reconciliation-agent", december);
    expect(perDay.get("2026-12-02") ?? 0).toBeGreaterThan(2 * (perDay.get("2026-11-18") ?? 0)); // Wednesdays: the close vs mid-month
  });

  it("has one bad day for the support chatbot", () => {
    const day = dayOf(incidentDay(NOW).toISOString());
    expect(day).toBe("2026-11-17");
    const errorShare = (date: string) => {
      const tasks = agent(INCIDENT.agent).events.filter((event) => event.type === "task_end" && dayOf(event.timestamp) === date);
      return tasks.filter((event) => event.status === "failed").length / tasks.length;
    };
    expect(errorShare(day)).toBeGreaterThan(3 * errorShare("2026-11-19"));
  });

  it("makes the agents' costs differ: an analyst on a frontier model spends far more per task than a ticket router", () => {
    const tokens = (name: string) => agent(name).events.reduce((sum, event) => sum + (event.inputTokens ?? 0) + (event.outputTokens ?? 0), 0) / agent(name).tasks;
    expect(tokens("financial-analyst")).toBeGreaterThan(20 * tokens("ticket-router"));
  });

  it("has the unregistered agents start reporting recently", () => {
    const first = Math.min(...agent("marketing-scraper").events.map((event) => Date.parse(event.timestamp)));
    expect(NOW.getTime() - first).toBeLessThan(4 * DAY_MS + 3_600_000);
    expect(agent("marketing-scraper").events.every((event) => event.agent === "marketing-scraper")).toBe(true);
  });
});

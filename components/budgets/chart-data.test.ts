import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { availableToAllocate, dayRange, monthToDate, stackedDaily, taskCostBars, topSpenders, type DailyRow } from "./chart-data";

const agents = [
  { id: "a1", name: "writer", teamId: "t1" },
  { id: "a2", name: "analyst", teamId: "t2" },
  { id: "a3", name: "router", teamId: "t2" },
];
const teams = [
  { id: "t1", name: "Marketing" },
  { id: "t2", name: "Finance" },
];
const row = (day: string, agentId: string, model: string, costMicros: bigint): DailyRow => ({ day, agentId, model, costMicros });

describe("spend over time, stacked", () => {
  const rows = [
    row("2026-11-01", "a1", "gpt-x", 1_000_000n),
    row("2026-11-01", "a2", "claude-y", 3_000_000n),
    row("2026-11-03", "a3", "claude-y", 500_000n),
    row("2026-10-31", "a3", "claude-y", 9_000_000n), // before the window
  ];

  test("by team: one point per day (zeros included), biggest team first", () => {
    const { data, series } = stackedDaily(rows, { by: "team", agents, teams, from: "2026-11-01", until: "2026-11-04" });
    expect(series).toEqual([
      { key: "s0", label: "Finance", totalMicros: 3_500_000n },
      { key: "s1", label: "Marketing", totalMicros: 1_000_000n },
    ]);
    expect(data).toEqual([
      { day: "2026-11-01", s0: 3_000_000, s1: 1_000_000 },
      { day: "2026-11-02", s0: 0, s1: 0 },
      { day: "2026-11-03", s0: 500_000, s1: 0 },
    ]);
  });

  test("by model and by agent; beyond the series limit the rest is 'Other'", () => {
    expect(stackedDaily(rows, { by: "model", agents, teams, from: "2026-11-01", until: "2026-11-04" }).series.map((s) => s.label)).toEqual(["claude-y", "gpt-x"]);
    const limited = stackedDaily(rows, { by: "agent", agents, teams, from: "2026-11-01", until: "2026-11-04", maxSeries: 2 });
    expect(limited.series).toEqual([
      { key: "s0", label: "analyst", totalMicros: 3_000_000n },
      { key: "other", label: "Other (2)", totalMicros: 1_500_000n },
    ]);
    expect(limited.data[0]).toEqual({ day: "2026-11-01", s0: 3_000_000, other: 1_000_000 });
  });

  test("property: the stacks add up to the spend inside the window, to the micro-dollar", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 40 }).map((d) => new Date(Date.UTC(2026, 9, 25 + d)).toISOString().slice(0, 10)),
            agentId: fc.constantFrom("a1", "a2", "a3", "gone"),
            model: fc.constantFrom("m1", "m2", "m3", "m4", ""),
            costMicros: fc.bigInt({ min: 0n, max: 10n ** 9n }),
          }),
        ),
        fc.constantFrom("team" as const, "agent" as const, "model" as const),
        fc.integer({ min: 1, max: 5 }),
        (generated, by, maxSeries) => {
          const { data, series } = stackedDaily(generated, { by, agents, teams, from: "2026-11-01", until: "2026-12-01", maxSeries });
          expect(data).toHaveLength(30);
          expect(series.length).toBeLessThanOrEqual(maxSeries);
          const inside = generated.filter((r) => r.day >= "2026-11-01" && r.day < "2026-12-01").reduce((sum, r) => sum + r.costMicros, 0n);
          const drawn = data.reduce((sum, point) => sum + series.reduce((inner, s) => inner + BigInt(point[s.key] as number), 0n), 0n);
          expect(drawn).toBe(inside);
        },
      ),
    );
  });

  test("day ranges cross month ends", () => {
    expect(dayRange("2026-11-29", "2026-12-02")).toEqual(["2026-11-29", "2026-11-30", "2026-12-01"]);
  });
});

describe("month to date against the budget", () => {
  test("cumulative spend to today, the budget line, and the forecast line from today to month end", () => {
    const rows = [row("2026-11-01", "a2", "m", 10_000_000n), row("2026-11-05", "a3", "m", 10_000_000n), row("2026-11-05", "a1", "m", 99_000_000n), row("2026-10-31", "a2", "m", 5n)];
    const now = new Date("2026-11-10T00:00:00Z"); // a third of November gone
    const { points, spentMicros, forecastMicros } = monthToDate(rows, { scope: "team", teamId: "t2", agentId: null, limitMicros: 50_000_000n }, agents, now);
    expect(points).toHaveLength(30);
    expect(spentMicros).toBe(20_000_000n);
    expect(forecastMicros).toBe(66_666_667n);
    expect(points[0]).toEqual({ day: "2026-11-01", actual: 10_000_000, forecast: null, limit: 50_000_000 });
    expect(points[9]).toEqual({ day: "2026-11-10", actual: 20_000_000, forecast: 20_000_000, limit: 50_000_000 });
    expect(points[10]?.actual).toBeNull();
    expect(points[29]?.forecast).toBe(66_666_667);
  });
});

describe("top spenders and cost per task", () => {
  test("biggest first, with team and share, from the given day on", () => {
    const rows = [row("2026-11-01", "a1", "m", 1_000_000n), row("2026-11-02", "a2", "m", 3_000_000n), row("2026-10-30", "a3", "m", 50_000_000n)];
    expect(topSpenders(rows, agents, teams, "2026-11-01")).toEqual([
      { agentId: "a2", name: "analyst", teamName: "Finance", costMicros: 3_000_000n, sharePermille: 750 },
      { agentId: "a1", name: "writer", teamName: "Marketing", costMicros: 1_000_000n, sharePermille: 250 },
    ]);
  });

  test("the dearest average task first, named", () => {
    const bars = taskCostBars(
      [
        { agentId: "a1", tasks: 3, averageMicros: 10n, p50Micros: 9n, p90Micros: 12n, maxMicros: 12n },
        { agentId: "a2", tasks: 1, averageMicros: 40n, p50Micros: 40n, p90Micros: 40n, maxMicros: 40n },
      ],
      agents,
    );
    expect(bars.map((bar) => [bar.agent, bar.average, bar.p90])).toEqual([
      ["analyst", 40, 40],
      ["writer", 10, 12],
    ]);
  });

  test("what a team lead has left to allocate in a period", () => {
    const budgets = [
      { id: "team", scope: "team", teamId: "t2", period: "monthly", limitMicros: 200n },
      { id: "x", scope: "agent", teamId: "t2", period: "monthly", limitMicros: 150n },
      { id: "y", scope: "agent", teamId: "t2", period: "daily", limitMicros: 1000n },
    ];
    expect(availableToAllocate(budgets, "t2", "monthly")).toEqual({ teamLimitMicros: 200n, availableMicros: 50n });
    expect(availableToAllocate(budgets, "t2", "monthly", "x")).toEqual({ teamLimitMicros: 200n, availableMicros: 200n });
    expect(availableToAllocate(budgets, "t2", "daily")).toBeNull();
  });
});

import { describe, expect, test } from "vitest";
import { healthSegments, percentChange, plural, pointsChange, rateText, teamSpendSeries, topFive, type SpendInput } from "./present";

const spend: SpendInput = {
  until: "2026-11-16",
  monthStart: "2026-11-01",
  daily: [
    { day: "2026-10-16", agentId: "writer", costMicros: 7_000_000n }, // 31 days back: before the chart's window
    { day: "2026-10-20", agentId: "writer", costMicros: 1_000_000n },
    { day: "2026-11-02", agentId: "writer", costMicros: 2_000_000n },
    { day: "2026-11-02", agentId: "analyst", costMicros: 5_000_000n },
    { day: "2026-11-15", agentId: "analyst", costMicros: 1_500_000n },
    { day: "2026-11-15", agentId: "stray", costMicros: 500_000n },
  ],
  agents: [
    { id: "writer", name: "content-writer", teamId: "mkt" },
    { id: "analyst", name: "financial-analyst", teamId: "fin" },
    { id: "stray", name: "stray-bot", teamId: null },
  ],
  teams: [
    { id: "fin", name: "Finance" },
    { id: "mkt", name: "Marketing" },
  ],
};

describe("teamSpendSeries", () => {
  test("thirty UTC days ending today, one series per team (agents without a team together), biggest first", () => {
    const chart = teamSpendSeries(spend);
    expect(chart.from).toBe("2026-10-17");
    expect(chart.data).toHaveLength(30);
    expect(chart.data[0]?.day).toBe("2026-10-17");
    expect(chart.data[29]?.day).toBe("2026-11-15");
    expect(chart.series.map((entry) => [entry.label, entry.totalMicros])).toEqual([
      ["Finance", 6_500_000n],
      ["Marketing", 3_000_000n],
      ["(no team)", 500_000n],
    ]);
    expect(chart.totalMicros).toBe(10_000_000n);
    const day = chart.data.find((point) => point.day === "2026-11-02");
    const keyOf = (label: string) => chart.series.find((entry) => entry.label === label)?.key ?? "";
    expect(day?.[keyOf("Finance")]).toBe(5_000_000);
    expect(day?.[keyOf("Marketing")]).toBe(2_000_000);
  });

  test("no spend: thirty zero days and no series (the page shows its empty state)", () => {
    const chart = teamSpendSeries({ ...spend, daily: [] });
    expect(chart.series).toEqual([]);
    expect(chart.data).toHaveLength(30);
    expect(chart.totalMicros).toBe(0n);
  });
});

test("topFive: this month only, biggest first, with team and share", () => {
  const top = topFive(spend);
  expect(top.map((row) => [row.name, row.teamName, row.costMicros, row.sharePermille])).toEqual([
    ["financial-analyst", "Finance", 6_500_000n, 722],
    ["content-writer", "Marketing", 2_000_000n, 222],
    ["stray-bot", null, 500_000n, 55],
  ]);
  const many = { ...spend, daily: Array.from({ length: 8 }, (_, index) => ({ day: "2026-11-03", agentId: `a${index}`, costMicros: BigInt(index + 1) })) };
  expect(topFive(many).map((row) => row.agentId)).toEqual(["a7", "a6", "a5", "a4", "a3"]);
});

describe("wording", () => {
  test("changes and rates", () => {
    expect(percentChange(12)).toBe("+12\u00a0%");
    expect(percentChange(-3)).toBe("−3\u00a0%");
    expect(percentChange(0)).toBe("no change");
    expect(percentChange(null)).toBeNull();
    expect(rateText(1.25)).toBe("1.25\u00a0%");
    expect(rateText(12.5)).toBe("12.5\u00a0%");
    expect(rateText(0)).toBe("0.0\u00a0%");
    expect(rateText(null)).toBe("–");
    expect(pointsChange(0.4)).toBe("+0.40\u00a0pts");
    expect(pointsChange(-1.25)).toBe("−1.25\u00a0pts");
    expect(pointsChange(0)).toBe("no change");
    expect(pointsChange(null)).toBeNull();
    expect(plural(1, "agent")).toBe("1 agent");
    expect(plural(1200, "agent")).toBe("1,200 agents");
    expect(plural(2, "switch", "switches")).toBe("2 switches");
  });
});

describe("healthSegments", () => {
  test("proportional widths in a fixed order, only for counts above zero", () => {
    expect(healthSegments({ healthy: 6, stale: 0, halted: 2, unknown: 2 })).toEqual([
      { health: "healthy", count: 6, width: 60 },
      { health: "halted", count: 2, width: 20 },
      { health: "unknown", count: 2, width: 20 },
    ]);
  });

  test("a single agent among hundreds stays visible", () => {
    const segments = healthSegments({ healthy: 999, stale: 1, halted: 0, unknown: 0 });
    expect(segments[1]?.width).toBeGreaterThanOrEqual(1.9);
    expect(segments.reduce((sum, segment) => sum + segment.width, 0)).toBeCloseTo(100, 0);
  });

  test("no agents: no segments", () => {
    expect(healthSegments({ healthy: 0, stale: 0, halted: 0, unknown: 0 })).toEqual([]);
  });
});

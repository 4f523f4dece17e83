import { describe, expect, test } from "vitest";
import { addLatency } from "../telemetry/latency-histogram";
import { twoProportionZTest, welchTTest } from "../stats/fixed-horizon";
import { compareArms } from "./ab";
import { EMPTY_ARM, type ArmMetrics } from "./guards";

function arm(tasks: number, failed: number, cost: { mean: number; sd: number }, latencies: number[], decisions = 0, denials = 0): ArmMetrics {
  const hist: number[] = [];
  for (const ms of latencies) addLatency(hist, ms);
  return { tasks, failedTasks: failed, costTasks: tasks, costMeanMicros: cost.mean, costVarianceMicros: cost.sd ** 2, latencyHist: hist, decisions, policyDenials: denials };
}
const spread = (center: number, n: number) => Array.from({ length: n }, (_, i) => center * (0.5 + (i % 20) / 20));

describe("A/B comparison", () => {
  const a = arm(2000, 60, { mean: 1200, sd: 400 }, spread(800, 2000), 500, 10);
  const b = arm(1800, 126, { mean: 1210, sd: 420 }, spread(1400, 1800), 450, 9);
  const comparison = compareArms("2.1.0", a, "2.2.0", b);
  const row = (metric: string) => comparison.rows.find((r) => r.metric === metric);

  test("each difference comes with its named test, its interval and the test's own p-value", () => {
    const success = row("success_rate");
    const expected = twoProportionZTest(1940, 2000, 1674, 1800);
    expect(success).toMatchObject({ test: "two-proportion z-test", pValue: expected?.pValue, ci: expected?.ci });
    const cost = row("cost_per_task");
    expect(cost).toMatchObject({ test: "Welch's t-test", pValue: welchTTest({ n: 2000, mean: 1200, variance: 400 ** 2 }, { n: 1800, mean: 1210, variance: 420 ** 2 })?.pValue });
    expect(row("latency_p95")?.test).toBe("Mann–Whitney U test");
    expect(row("latency_p95")?.ci?.low).toBeGreaterThan(0);
    expect(row("denial_rate")?.test).toBe("two-proportion z-test");
  });

  test("the plain sentences say which differences are significant, after Holm's correction", () => {
    expect(row("success_rate")?.significant).toBe(true);
    expect(row("success_rate")?.sentence).toMatch(
      /^Success rate is 4\.0 points lower for 2\.2\.0 than for 2\.1\.0 \(95 % CI .*\): significant at α = 0\.05 after Holm's correction \(two-proportion z-test, p = /,
    );
    expect(row("cost_per_task")?.significant).toBe(false);
    expect(row("cost_per_task")?.sentence).toMatch(/not significant \(Welch's t-test/);
    expect(row("latency_p95")?.significant).toBe(true);
    expect(comparison.summary).toBe("2.2.0 differs significantly from 2.1.0 in success rate, latency (α = 0.05, Holm-corrected across 4 tests).");
  });

  test("without data on one side nothing is called significant", () => {
    const empty = compareArms("2.1.0", a, "2.2.0", EMPTY_ARM);
    expect(empty.rows.every((r) => r.significant === null || r.metric === "tasks")).toBe(true);
    expect(empty.summary).toBe("Not enough data to compare 2.1.0 and 2.2.0 in this window.");
    expect(empty.rows.find((r) => r.metric === "success_rate")?.sentence).toBe("Success rate: not enough data on both versions in this window.");
  });

  test("two versions that behave alike are reported as not significantly different", () => {
    const alike = compareArms("2.1.0", a, "2.2.0", arm(2000, 61, { mean: 1195, sd: 410 }, spread(800, 2000), 500, 11));
    expect(alike.summary).toMatch(/^No significant difference between 2\.1\.0 and 2\.2\.0/);
  });
});

describe("comparison values", () => {
  test("money rounds half up to a hundredth of a cent (to the micro-dollar below a cent), signed differences say points for rates", async () => {
    const { formatComparisonValue } = await import("./comparison-format");
    expect(formatComparisonValue("micros", 12_349.4)).toBe("$0.0123");
    expect(formatComparisonValue("micros", 12_350)).toBe("$0.0124");
    expect(formatComparisonValue("micros", 1249.6)).toBe("$0.001250");
    expect(formatComparisonValue("micros", -2_345_678, true)).toBe("−$2.3457");
    expect(formatComparisonValue("ratio", -0.031, true)).toBe("−3.1 points");
    expect(formatComparisonValue("ms", 1834.4)).toBe("1,834 ms");
  });
});

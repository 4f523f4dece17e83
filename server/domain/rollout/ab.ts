// A/B comparison of two versions over the same window, with a named test and a confidence
// interval for every difference, and a plain sentence saying whether it is significant. These are
// fixed-horizon tests of a window a person picked (not the sequential guards of a live rollout):
//   - success rate and policy-denial rate: two-proportion z-test, Wald interval of the difference;
//   - cost per task: Welch's t-test on per-task costs (tasks' events summed by task id);
//   - latency: Mann–Whitney U on the two latency histograms (a bucket is a group of ties), with
//     intervals for the p50 and p95 differences from the order-statistic standard errors.
// The four tests are Holm-corrected together at α = 0.05, so a comparison of many metrics does not
// find a difference by chance more often than 5 % of the time.
import { histogramCount } from "../telemetry/latency-histogram";
import { mannWhitneyU, normalInterval, twoProportionZTest, welchTTest, type Interval } from "../stats/fixed-horizon";
import { holm } from "../stats/holm";
import { quantileWithError } from "../stats/quantile";
import { formatComparisonValue, type ComparisonUnit } from "./comparison-format";
import type { ArmMetrics } from "./guards";

export { formatComparisonValue, type ComparisonUnit } from "./comparison-format";

export const COMPARISON_ALPHA = 0.05;

export type ComparisonMetric = "tasks" | "success_rate" | "cost_per_task" | "latency_p50" | "latency_p95" | "denial_rate";

export interface ComparisonRow {
  metric: ComparisonMetric;
  label: string;
  unit: ComparisonUnit;
  a: number | null;
  b: number | null;
  nA: number;
  nB: number;
  /** b − a. */
  difference: number | null;
  /** 95 % interval of b − a. */
  ci: Interval | null;
  test: string | null;
  /** The test's own (uncorrected) p-value. */
  pValue: number | null;
  /** After Holm's correction across the comparison's tests; null when not tested. */
  significant: boolean | null;
  sentence: string;
}

export interface VersionComparison {
  a: string;
  b: string;
  rows: ComparisonRow[];
  /** One sentence for the whole comparison. */
  summary: string;
}

const MIN_PER_ARM = 2;

function describe(row: Omit<ComparisonRow, "sentence">, aLabel: string, bLabel: string): string {
  if (row.a === null || row.b === null || row.difference === null) return `${row.label}: not enough data on both versions in this window.`;
  const interval = row.ci ? ` (95 % CI ${formatComparisonValue(row.unit, row.ci.low, true)} to ${formatComparisonValue(row.unit, row.ci.high, true)})` : "";
  const direction = row.difference === 0 ? "the same for" : `${formatComparisonValue(row.unit, Math.abs(row.difference)).replace(" %", " points")} ${row.difference > 0 ? "higher" : "lower"} for`;
  const verdict =
    row.significant === null
      ? ""
      : row.significant
        ? `: significant at α = 0.05 after Holm's correction (${row.test}, p = ${formatPValue(row.pValue)})`
        : `: not significant (${row.test}, p = ${formatPValue(row.pValue)})`;
  return `${row.label} is ${direction} ${bLabel} than for ${aLabel}${interval}${verdict}.`;
}

function formatPValue(p: number | null): string {
  if (p === null) return "—";
  if (p < 0.001) return p.toExponential(1);
  return p.toFixed(3);
}

export function compareArms(aLabel: string, a: ArmMetrics, bLabel: string, b: ArmMetrics): VersionComparison {
  const rows: Omit<ComparisonRow, "sentence">[] = [];
  rows.push({ metric: "tasks", label: "Tasks", unit: "count", a: a.tasks, b: b.tasks, nA: a.tasks, nB: b.tasks, difference: b.tasks - a.tasks, ci: null, test: null, pValue: null, significant: null });

  // Success rate: tasks that did not end in error.
  const success = a.tasks >= MIN_PER_ARM && b.tasks >= MIN_PER_ARM ? twoProportionZTest(a.tasks - a.failedTasks, a.tasks, b.tasks - b.failedTasks, b.tasks) : null;
  rows.push({
    metric: "success_rate",
    label: "Success rate",
    unit: "ratio",
    a: a.tasks > 0 ? (a.tasks - a.failedTasks) / a.tasks : null,
    b: b.tasks > 0 ? (b.tasks - b.failedTasks) / b.tasks : null,
    nA: a.tasks,
    nB: b.tasks,
    difference: a.tasks > 0 && b.tasks > 0 ? (b.tasks - b.failedTasks) / b.tasks - (a.tasks - a.failedTasks) / a.tasks : null,
    ci: success?.ci ?? null,
    test: success ? success.test : null,
    pValue: success?.pValue ?? null,
    significant: null,
  });

  const cost = welchTTest({ n: a.costTasks, mean: a.costMeanMicros, variance: a.costVarianceMicros }, { n: b.costTasks, mean: b.costMeanMicros, variance: b.costVarianceMicros });
  rows.push({
    metric: "cost_per_task",
    label: "Cost per task",
    unit: "micros",
    a: a.costTasks > 0 ? a.costMeanMicros : null,
    b: b.costTasks > 0 ? b.costMeanMicros : null,
    nA: a.costTasks,
    nB: b.costTasks,
    difference: a.costTasks > 0 && b.costTasks > 0 ? b.costMeanMicros - a.costMeanMicros : null,
    ci: cost?.ci ?? null,
    test: cost ? cost.test : null,
    pValue: cost?.pValue ?? null,
    significant: null,
  });

  // Latency: one Mann–Whitney U test of the two distributions, and the p50/p95 differences.
  const length = Math.max(a.latencyHist.length, b.latencyHist.length);
  const groups = Array.from({ length }, (_, k) => ({ first: a.latencyHist[k] ?? 0, second: b.latencyHist[k] ?? 0 }));
  const latencyTest = histogramCount(a.latencyHist) >= MIN_PER_ARM && histogramCount(b.latencyHist) >= MIN_PER_ARM ? mannWhitneyU(groups) : null;
  for (const [metric, q, label] of [
    ["latency_p50", 0.5, "Latency p50"],
    ["latency_p95", 0.95, "Latency p95"],
  ] as const) {
    const qa = quantileWithError(a.latencyHist, q);
    const qb = quantileWithError(b.latencyHist, q);
    const difference = qa && qb ? qb.value - qa.value : null;
    rows.push({
      metric,
      label,
      unit: "ms",
      a: qa?.value ?? null,
      b: qb?.value ?? null,
      nA: qa?.n ?? 0,
      nB: qb?.n ?? 0,
      difference,
      ci: qa && qb && difference !== null ? normalInterval(difference, Math.sqrt(qa.standardError ** 2 + qb.standardError ** 2)) : null,
      test: latencyTest ? latencyTest.test : null,
      pValue: latencyTest?.pValue ?? null,
      significant: null,
    });
  }

  const denial = a.decisions >= MIN_PER_ARM && b.decisions >= MIN_PER_ARM ? twoProportionZTest(a.policyDenials, a.decisions, b.policyDenials, b.decisions) : null;
  rows.push({
    metric: "denial_rate",
    label: "Policy-denial rate",
    unit: "ratio",
    a: a.decisions > 0 ? a.policyDenials / a.decisions : null,
    b: b.decisions > 0 ? b.policyDenials / b.decisions : null,
    nA: a.decisions,
    nB: b.decisions,
    difference: a.decisions > 0 && b.decisions > 0 ? b.policyDenials / b.decisions - a.policyDenials / a.decisions : null,
    ci: denial?.ci ?? null,
    test: denial ? denial.test : null,
    pValue: denial?.pValue ?? null,
    significant: null,
  });

  // Holm across the family: success rate, cost, latency (one test for both rows) and denial rate.
  const family: { key: string; p: number }[] = [];
  for (const row of rows) {
    if (row.pValue === null) continue;
    const key = row.metric.startsWith("latency") ? "latency" : row.metric;
    if (!family.some((entry) => entry.key === key)) family.push({ key, p: row.pValue });
  }
  const decisions = holm(
    family.map((entry) => entry.p),
    COMPARISON_ALPHA,
  );
  const significantKeys = new Set(family.filter((_, index) => decisions[index]?.rejected).map((entry) => entry.key));
  const finished: ComparisonRow[] = rows.map((row) => {
    const key = row.metric.startsWith("latency") ? "latency" : row.metric;
    const withSignificance = { ...row, significant: row.pValue === null ? null : significantKeys.has(key) };
    return {
      ...withSignificance,
      sentence: row.metric === "tasks" ? `${bLabel} ran ${b.tasks.toLocaleString("en-US")} tasks and ${aLabel} ${a.tasks.toLocaleString("en-US")} in this window.` : describe(withSignificance, aLabel, bLabel),
    };
  });

  const tested = finished.filter((row) => row.significant !== null);
  const significant = finished.filter((row) => row.significant === true && row.metric !== "latency_p50");
  let summary: string;
  if (tested.length === 0) summary = `Not enough data to compare ${aLabel} and ${bLabel} in this window.`;
  else if (significant.length === 0) summary = `No significant difference between ${aLabel} and ${bLabel} in this window (α = 0.05, Holm-corrected across ${family.length} tests).`;
  else
    summary = `${bLabel} differs significantly from ${aLabel} in ${significant.map((row) => (row.metric === "latency_p95" ? "latency" : row.label.toLowerCase())).join(", ")} (α = 0.05, Holm-corrected across ${family.length} tests).`;
  return { a: aLabel, b: bLabel, rows: finished, summary };
}

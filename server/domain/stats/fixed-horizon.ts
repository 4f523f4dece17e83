// Classical (fixed-horizon) two-sample tests for comparing two versions over one window (the A/B
// comparison): each returns its statistic, a two-sided p-value and a confidence interval for the
// difference (second minus first). Distributions come from ./distributions.
import { chiSquareCdf, normalCdf, normalQuantile, tCdf, tQuantile, twoSidedNormalP } from "./distributions";

export interface Interval {
  low: number;
  high: number;
}

export interface TwoProportionResult {
  test: "two-proportion z-test";
  p1: number;
  p2: number;
  /** p2 − p1. */
  difference: number;
  z: number;
  pValue: number;
  /** Wald interval of p2 − p1 (unpooled standard error). */
  ci: Interval;
}

/**
 * Two-proportion z-test of H0: p1 = p2 (pooled standard error), with the unpooled Wald interval
 * for the difference. Null when a sample is empty or the pooled proportion is 0 or 1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): TwoProportionResult | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(pooledSe > 0)) return null;
  const z = (p2 - p1) / pooledSe;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const q = normalQuantile(1 - (1 - confidence) / 2);
  return { test: "two-proportion z-test", p1, p2, difference: p2 - p1, z, pValue: twoSidedNormalP(z), ci: { low: p2 - p1 - q * se, high: p2 - p1 + q * se } };
}

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (n − 1 in the denominator). */
  variance: number;
}

export interface WelchResult {
  test: "Welch's t-test";
  /** mean2 − mean1. */
  difference: number;
  t: number;
  df: number;
  pValue: number;
  ci: Interval;
}

/** Welch's unequal-variances t-test of H0: mean1 = mean2, with its interval for mean2 − mean1. */
export function welchTTest(a: SampleSummary, b: SampleSummary, confidence = 0.95): WelchResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return null;
  const difference = b.mean - a.mean;
  const t = difference / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  return { test: "Welch's t-test", difference, t, df, pValue: Math.min(1, 2 * tCdf(-Math.abs(t), df)), ci: { low: difference - q * se, high: difference + q * se } };
}

export interface MannWhitneyResult {
  test: "Mann–Whitney U test";
  /** U of the second sample: how often one of its values exceeds one of the first's (ties count ½). */
  u: number;
  /** U / (n1·n2): the probability that a value of the second sample exceeds one of the first. */
  superiority: number;
  z: number;
  pValue: number;
}

/**
 * Mann–Whitney U test from grouped data: `groups` in ascending order of value, each with how many
 * observations of the first and of the second sample share that value (a histogram bucket is one
 * group; its members are ties). Normal approximation with the tie correction and a continuity
 * correction, as the standard large-sample form.
 */
export function mannWhitneyU(groups: readonly { first: number; second: number }[]): MannWhitneyResult | null {
  let n1 = 0;
  let n2 = 0;
  for (const group of groups) {
    n1 += group.first;
    n2 += group.second;
  }
  if (n1 === 0 || n2 === 0) return null;
  const n = n1 + n2;
  let rank = 0;
  let rankSumSecond = 0;
  let tieTerm = 0;
  for (const group of groups) {
    const size = group.first + group.second;
    if (size === 0) continue;
    const midRank = rank + (size + 1) / 2;
    rankSumSecond += midRank * group.second;
    tieTerm += size ** 3 - size;
    rank += size;
  }
  const u = rankSumSecond - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { test: "Mann–Whitney U test", u, superiority: u / (n1 * n2), z: 0, pValue: 1 };
  const deviation = u - mean;
  const corrected = Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  const z = corrected / Math.sqrt(variance);
  return { test: "Mann–Whitney U test", u, superiority: u / (n1 * n2), z, pValue: twoSidedNormalP(z) };
}

export interface ChiSquareResult {
  test: "chi-square goodness-of-fit";
  statistic: number;
  df: number;
  pValue: number;
  expected: number[];
}

/** Pearson's chi-square goodness of fit of observed counts to expected shares (which sum to 1). */
export function chiSquareGoodnessOfFit(observed: readonly number[], shares: readonly number[]): ChiSquareResult | null {
  if (observed.length !== shares.length || observed.length < 2) return null;
  const total = observed.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const expected = shares.map((share) => share * total);
  if (expected.some((value) => !(value > 0))) return null;
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) statistic += ((observed[i] ?? 0) - (expected[i] ?? 0)) ** 2 / (expected[i] ?? 1);
  const df = observed.length - 1;
  return { test: "chi-square goodness-of-fit", statistic, df, pValue: 1 - chiSquareCdf(statistic, df), expected };
}

/** A normal-approximation interval for an estimate with the given standard error. */
export function normalInterval(estimate: number, standardError: number, confidence = 0.95): Interval {
  const q = normalQuantile(1 - (1 - confidence) / 2);
  return { low: estimate - q * standardError, high: estimate + q * standardError };
}

/** One-sided upper-tail p-value of a standard normal statistic. */
export function upperTailP(z: number): number {
  return normalCdf(-z);
}

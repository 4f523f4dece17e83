// The fixed-horizon tests against published worked examples (each cited beside it).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { chiSquareGoodnessOfFit, mannWhitneyU, twoProportionZTest, welchTTest } from "./fixed-horizon";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / (xs.length - 1);
};
const summary = (xs: number[]) => ({ n: xs.length, mean: mean(xs), variance: variance(xs) });

describe("two-proportion z-test", () => {
  test("statsmodels' documented example: 5 of 83 against 12 of 99 gives p = 0.159", () => {
    // statsmodels.stats.proportion.proportions_ztest, docstring example:
    // count = [5, 12], nobs = [83, 99] → pval 0.159 (pooled standard error, two-sided).
    const result = twoProportionZTest(5, 83, 12, 99);
    expect(result?.pValue).toBeCloseTo(0.159, 3);
    expect(result?.z).toBeCloseTo(1.4078, 3);
    expect(result?.difference).toBeCloseTo(12 / 99 - 5 / 83, 12);
  });

  test("the interval holds the difference and widens with confidence", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), (n1, n2, a, b) => {
        const x1 = Math.min(a, n1);
        const x2 = Math.min(b, n2);
        const r95 = twoProportionZTest(x1, n1, x2, n2, 0.95);
        const r99 = twoProportionZTest(x1, n1, x2, n2, 0.99);
        if (!r95 || !r99) return;
        expect(r95.ci.low).toBeLessThanOrEqual(r95.difference);
        expect(r95.ci.high).toBeGreaterThanOrEqual(r95.difference);
        expect(r99.ci.high - r99.ci.low).toBeGreaterThanOrEqual(r95.ci.high - r95.ci.low - 1e-12);
        expect(r95.pValue).toBeGreaterThanOrEqual(0);
        expect(r95.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  test("no answer without data or without variation", () => {
    expect(twoProportionZTest(0, 0, 1, 10)).toBeNull();
    expect(twoProportionZTest(0, 10, 0, 10)).toBeNull();
  });
});

describe("Welch's t-test", () => {
  test("R's t.test(ts1, ts2): t = −1.8325, df = 17.9, p = 0.08356, 95 % CI −2.1469 … 0.1469", () => {
    // R 4.x output quoted in the Cross Validated answer "Welch's t-test confidence interval":
    //   t.test(ts1, ts2) → t = -1.8325, df = 17.9, p-value = 0.08356,
    //   95 percent confidence interval: -2.1469104 0.1469104 (mean of x − mean of y).
    const ts1 = [11, 9, 10, 11, 10, 12, 9, 11, 12, 9];
    const ts2 = [11, 13, 10, 13, 12, 9, 11, 12, 12, 11];
    // Our difference is second minus first, so ts2 goes first to get mean(ts1) − mean(ts2).
    const result = welchTTest(summary(ts2), summary(ts1));
    expect(result?.t).toBeCloseTo(-1.8325, 4);
    expect(result?.df).toBeCloseTo(17.9, 1);
    expect(result?.pValue).toBeCloseTo(0.08356, 5);
    expect(result?.ci.low).toBeCloseTo(-2.1469104, 5);
    expect(result?.ci.high).toBeCloseTo(0.1469104, 5);
  });

  test("a textbook example from summary statistics: t = 5.852, df = 9.708, 99 % CI 6.919 … 23.508", () => {
    // Wyzant answer "Confidence interval question" (2021): normal subjects x̄ = 3.75625, s = 2.01659,
    // n = 16; ulcer subjects x̄ = 18.9700, s = 8.06488, n = 10 → SE 2.59969, t 5.85214,
    // df 9.708, 99 % CI [6.9192, 23.5083].
    const result = welchTTest({ n: 16, mean: 3.75625, variance: 2.01659 ** 2 }, { n: 10, mean: 18.97, variance: 8.06488 ** 2 }, 0.99);
    expect(result?.t).toBeCloseTo(5.85214, 4);
    expect(result?.df).toBeCloseTo(9.708, 3);
    expect(result?.ci.low).toBeCloseTo(6.9192, 2);
    expect(result?.ci.high).toBeCloseTo(23.5083, 2);
  });
});

describe("Mann–Whitney U", () => {
  test("R's wilcox.test example (Hollander & Wolfe 1973, p. 69): W = 35, exact p 0.1272 one-sided", () => {
    // ?wilcox.test in R: x (permanent therapy) against y; wilcox.test(x, y, alternative = "g") → W = 35,
    // p-value = 0.1272 (exact). Our large-sample p is the normal approximation of the same U.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const values = [...new Set([...x, ...y])].sort((a, b) => a - b);
    const groups = values.map((value) => ({ first: y.filter((v) => v === value).length, second: x.filter((v) => v === value).length }));
    const result = mannWhitneyU(groups);
    expect(result?.u).toBe(35);
    expect(result?.superiority).toBeCloseTo(35 / 50, 12);
    // Two-sided normal approximation against twice the exact one-sided p.
    expect(Math.abs((result?.pValue ?? 0) - 2 * 0.1272)).toBeLessThan(0.015);
  });

  test("ties are ranked at their mid-rank: U of the second sample counts ties as one half", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ first: fc.integer({ min: 0, max: 20 }), second: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 12 }), (groups) => {
        const result = mannWhitneyU(groups);
        const n1 = groups.reduce((s, g) => s + g.first, 0);
        const n2 = groups.reduce((s, g) => s + g.second, 0);
        if (n1 === 0 || n2 === 0) {
          expect(result).toBeNull();
          return;
        }
        // U by definition: pairs (second above first) + ½ per tied pair.
        let pairs = 0;
        groups.forEach((group, i) => {
          const firstBelow = groups.slice(0, i).reduce((s, g) => s + g.first, 0);
          pairs += group.second * firstBelow + 0.5 * group.second * group.first;
        });
        expect(result?.u).toBeCloseTo(pairs, 9);
      }),
    );
  });
});

describe("chi-square goodness of fit (sample ratio mismatch)", () => {
  test("Wikipedia's sample ratio mismatch example: 600 against 400 on a 50/50 split, p = 2.54 × 10⁻¹⁰", () => {
    // https://en.wikipedia.org/wiki/Sample_ratio_mismatch, "Example".
    const result = chiSquareGoodnessOfFit([600, 400], [0.5, 0.5]);
    expect(result?.statistic).toBeCloseTo(40, 9);
    expect(result?.pValue).toBeGreaterThan(2.535e-10);
    expect(result?.pValue).toBeLessThan(2.545e-10);
  });

  test("the SRM checker's example: 44,000 against 45,000 on a 50/50 split, p ≈ 0.0008", () => {
    // srm.osc.garden (Sample Ratio Mismatch checker), "Context": "A p-value of 0.0008 (like in our
    // 44,000 vs 45,000 example)".
    const result = chiSquareGoodnessOfFit([44_000, 45_000], [0.5, 0.5]);
    expect(result?.pValue).toBeGreaterThan(0.00075);
    expect(result?.pValue).toBeLessThan(0.00085);
  });
});

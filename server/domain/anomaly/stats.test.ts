import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jensenShannonDistance, median, medianAbsoluteDeviation, robustZ } from "./stats";

describe("robust z-score (median and MAD)", () => {
  it("matches a worked example", () => {
    // Baseline 1,2,3,4,100: median 3, deviations 2,1,0,1,97 → MAD 1. For x = 10: 0.6745·7/1 = 4.7215.
    const result = robustZ(10, [1, 2, 3, 4, 100]);
    expect(result.median).toBe(3);
    expect(result.mad).toBe(1);
    expect(result.spread).toBe("mad");
    expect(result.z).toBeCloseTo(4.7215, 4);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it("is not moved by one outlier in the baseline the way a mean would be", () => {
    const calm = [10, 11, 9, 10, 12, 10, 9, 11];
    expect(robustZ(30, [...calm, 10_000]).z).toBeGreaterThan(3.5);
  });

  it("falls back to the mean absolute deviation when MAD is 0, and to ±Infinity for a flat baseline", () => {
    const mostlyIdle = [0, 0, 0, 0, 0, 0, 4, 8];
    const fallback = robustZ(20, mostlyIdle);
    expect(fallback.spread).toBe("mean_absolute_deviation");
    expect(fallback.z).toBeCloseTo(20 / (1.253314 * 1.5), 6);
    expect(robustZ(5, [2, 2, 2]).z).toBe(Number.POSITIVE_INFINITY);
    expect(robustZ(2, [2, 2, 2]).z).toBe(0);
  });

  it("is invariant under shifting and positive scaling of the data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 3, maxLength: 40 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -500, max: 500 }),
        fc.integer({ min: 1, max: 50 }),
        (baseline, value, shift, scale) => {
          const a = robustZ(value, baseline).z;
          const b = robustZ(
            value * scale + shift,
            baseline.map((item) => item * scale + shift),
          ).z;
          if (Number.isFinite(a)) expect(b).toBeCloseTo(a, 6);
          else expect(b).toBe(a);
        },
      ),
    );
  });
});

describe("Jensen–Shannon distance", () => {
  it("matches worked examples", () => {
    expect(jensenShannonDistance({ a: 1 }, { a: 5 })).toBe(0);
    expect(jensenShannonDistance({ a: 1 }, { b: 1 })).toBe(1);
    // P = (1/2, 1/2), Q = (1, 0): M = (3/4, 1/4); JSD = ½(½log2(2/3) + ½log2 2) + ½ log2(4/3) = 0.311278; distance 0.557925.
    expect(jensenShannonDistance({ a: 1, b: 1 }, { a: 1 })).toBeCloseTo(0.557925, 5);
  });

  it("is symmetric, within [0, 1], and 0 only for the same mix", () => {
    const counts = fc.dictionary(fc.constantFrom("search", "lookup", "write", "send", "delete"), fc.integer({ min: 0, max: 1000 }));
    fc.assert(
      fc.property(counts, counts, (p, q) => {
        const d = jensenShannonDistance(p, q);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(jensenShannonDistance(q, p)).toBeCloseTo(d, 12);
        expect(jensenShannonDistance(p, p)).toBeCloseTo(0, 6);
      }),
    );
  });
});

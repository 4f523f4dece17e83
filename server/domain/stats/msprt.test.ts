// The mSPRT has no standard numeric worked example to copy, so it is checked against its own
// definition (the mixture of likelihood ratios, integrated numerically) and for what it promises:
// looked at after every batch, it rejects a true null at most α of the time.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { normalQuantile } from "./distributions";
import { holm } from "./holm";
import { mixtureLikelihoodRatio, msprtInterval, msprtPValue, msprtUpperPValue, tunedMixingVariance } from "./msprt";

/** ∫ φ(θ̂; θ, V) / φ(θ̂; θ0, V) · φ(θ; θ0, τ²) dθ by the trapezoid rule: the mSPRT's definition. */
function integratedRatio(estimate: number, variance: number, tau2: number, nullValue = 0): number {
  const tau = Math.sqrt(tau2);
  const steps = 20_000;
  const from = nullValue - 12 * tau;
  const width = (24 * tau) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const theta = from + i * width;
    const logRatio = ((estimate - nullValue) ** 2 - (estimate - theta) ** 2) / (2 * variance);
    const prior = Math.exp(-((theta - nullValue) ** 2) / (2 * tau2)) / Math.sqrt(2 * Math.PI * tau2);
    sum += (i === 0 || i === steps ? 0.5 : 1) * Math.exp(logRatio) * prior;
  }
  return sum * width;
}

/** A seeded generator (mulberry32) so the simulation is the same on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, next())));
}

describe("mSPRT", () => {
  test("the closed form equals the mixture of likelihood ratios it is defined as", () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.05, max: 4, noNaN: true }), fc.double({ min: 0.05, max: 4, noNaN: true }), (estimate, variance, tau2) => {
        const closed = mixtureLikelihoodRatio({ estimate, variance, tau2 });
        const integrated = integratedRatio(estimate, variance, tau2);
        expect(Math.abs(closed - integrated) / integrated).toBeLessThan(1e-4);
      }),
      { numRuns: 40 },
    );
  });

  test("no information (zero variance of the mixture) is no evidence", () => {
    expect(mixtureLikelihoodRatio({ estimate: 5, variance: 0, tau2: 1 })).toBe(1);
    expect(msprtPValue({ estimate: 5, variance: 1, tau2: 0 })).toBe(1);
  });

  test("the one-sided p is 1 on the wrong side and the two-sided p on the right side", () => {
    expect(msprtUpperPValue({ estimate: -2, variance: 0.1, tau2: 1 })).toBe(1);
    expect(msprtUpperPValue({ estimate: 2, variance: 0.1, tau2: 1 })).toBe(msprtPValue({ estimate: 2, variance: 0.1, tau2: 1 }));
  });

  test("the always-valid interval ends exactly where Λ reaches 1/α", () => {
    const alpha = 0.05;
    const interval = msprtInterval(1.3, 0.2, 0.5, alpha);
    if (!interval) throw new Error("no interval");
    for (const edge of [interval.low, interval.high]) {
      expect(mixtureLikelihoodRatio({ estimate: 1.3, variance: 0.2, tau2: 0.5, nullValue: edge })).toBeCloseTo(1 / alpha, 6);
    }
  });

  test("looked at after every batch of a null stream, it rejects at most α of the time (and a fixed z-test peeked at the same way far more often)", () => {
    // 2,000 null streams, 200 looks each (a look every 10 observations up to 2,000): the
    // peeking problem in a few lines. σ = 1, mixing variance tuned for 100 observations.
    const alpha = 0.05;
    const draw = seeded(20_261_204);
    const tau2 = tunedMixingVariance(1, 100, alpha);
    let sequentialRejections = 0;
    let naiveRejections = 0;
    const streams = 2000;
    for (let stream = 0; stream < streams; stream++) {
      let sum = 0;
      let n = 0;
      let rejected = false;
      let naive = false;
      for (let look = 0; look < 200; look++) {
        for (let i = 0; i < 10; i++) {
          sum += draw();
          n++;
        }
        const estimate = sum / n;
        const variance = 1 / n;
        if (!rejected && msprtPValue({ estimate, variance, tau2 }) <= alpha) rejected = true;
        if (!naive && Math.abs(estimate / Math.sqrt(variance)) >= 1.959964) naive = true;
      }
      if (rejected) sequentialRejections++;
      if (naive) naiveRejections++;
    }
    expect(sequentialRejections / streams).toBeLessThanOrEqual(alpha);
    expect(naiveRejections / streams).toBeGreaterThan(0.25);
  });

  test("a real difference is found: a shifted stream is rejected well within the looks", () => {
    const draw = seeded(7);
    const tau2 = tunedMixingVariance(1, 100, 0.05);
    let sum = 0;
    let n = 0;
    let rejectedAt: number | null = null;
    while (n < 2000 && rejectedAt === null) {
      for (let i = 0; i < 10; i++) {
        sum += 0.5 + draw();
        n++;
      }
      if (msprtUpperPValue({ estimate: sum / n, variance: 1 / n, tau2 }) <= 0.05) rejectedAt = n;
    }
    expect(rejectedAt).not.toBeNull();
    expect(rejectedAt ?? Infinity).toBeLessThan(200);
  });
});

describe("Holm", () => {
  test("Wikipedia's Holm–Bonferroni example: p = 0.01, 0.04, 0.03, 0.005 at α = 0.05 rejects H1 and H4 only", () => {
    // https://en.wikipedia.org/wiki/Holm–Bonferroni_method, "Example".
    const decisions = holm([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(decisions.map((d) => d.rejected)).toEqual([true, false, false, true]);
    expect(decisions[3]?.threshold).toBeCloseTo(0.0125, 12);
    expect(decisions[0]?.threshold).toBeCloseTo(0.05 / 3, 12);
    expect(decisions[2]?.threshold).toBeCloseTo(0.025, 12);
  });

  test("never rejects more than Bonferroni's smallest threshold allows first, and stops at the first failure", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), (ps) => {
        const decisions = holm(ps, 0.05);
        const rejected = ps.filter((_, i) => decisions[i]?.rejected);
        if (rejected.length > 0) expect(Math.min(...ps)).toBeLessThanOrEqual(0.05 / ps.length);
        // Everything rejected is smaller than everything not rejected.
        const kept = ps.filter((_, i) => !decisions[i]?.rejected);
        if (rejected.length > 0 && kept.length > 0) expect(Math.max(...rejected)).toBeLessThanOrEqual(Math.min(...kept));
      }),
    );
  });
});

import { describe, expect, test } from "vitest";
import { addLatency } from "../telemetry/latency-histogram";
import { normalQuantile } from "./distributions";
import { quantileWithError } from "./quantile";

describe("a percentile's standard error from a histogram", () => {
  test("its 95 % interval covers the true p95 of a log-normal latency about 95 % of the time", () => {
    // Log-normal latencies with median 500 ms, σ = 0.6: the true p95 is 500·exp(0.6·z₀.₉₅).
    const truth = 500 * Math.exp(0.6 * normalQuantile(0.95));
    let state = 42;
    const uniform = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const hist: number[] = [];
      for (let i = 0; i < 800; i++) addLatency(hist, 500 * Math.exp(0.6 * normalQuantile(uniform())));
      const estimate = quantileWithError(hist, 0.95);
      if (!estimate) throw new Error("empty histogram");
      if (Math.abs(estimate.value - truth) <= 1.96 * estimate.standardError) covered++;
    }
    // Bucketing adds a little error of its own; the interval should still cover most of the time.
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.995);
  });

  test("an empty histogram has no percentile", () => {
    expect(quantileWithError([], 0.95)).toBeNull();
  });
});

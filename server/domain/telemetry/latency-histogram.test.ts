import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { addLatency, bucketLowerMs, bucketUpperMs, histogramCount, histogramQuantile, LATENCY_BUCKETS, latencyBucket, mergeHistograms } from "./latency-histogram";

describe("latency histogram", () => {
  test("a latency lands in the bucket whose bounds hold it", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 500_000, noNaN: true }), (ms) => {
        const k = latencyBucket(ms);
        expect(ms).toBeGreaterThanOrEqual(bucketLowerMs(k));
        expect(ms).toBeLessThan(bucketUpperMs(k));
      }),
    );
  });

  test("sub-millisecond, zero and huge latencies land in the first and last buckets", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.4)).toBe(0);
    expect(latencyBucket(1)).toBe(1);
    expect(latencyBucket(2)).toBe(5);
    expect(latencyBucket(10 ** 9)).toBe(LATENCY_BUCKETS - 1);
  });

  test("percentiles read back are within one bucket (19 %) of the exact ones", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 20, maxLength: 400 }), fc.constantFrom(0.5, 0.95), (latencies, q) => {
        const histogram: number[] = [];
        for (const ms of latencies) addLatency(histogram, ms);
        const sorted = [...latencies].sort((a, b) => a - b);
        const exact = sorted[Math.ceil(q * sorted.length) - 1] ?? 0;
        const estimate = histogramQuantile(histogram, q) ?? 0;
        expect(estimate / exact).toBeGreaterThan(1 / 1.19);
        expect(estimate / exact).toBeLessThan(1.19);
      }),
    );
  });

  test("merging is adding, whatever the lengths, and trims trailing zeros", () => {
    expect(mergeHistograms([[1, 2], [0, 1, 3], null, [0, 0, 0, 0]])).toEqual([1, 3, 3]);
    expect(mergeHistograms([])).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(50), { maxLength: 12 }), { maxLength: 6 }), (histograms) => {
        const merged = mergeHistograms(histograms);
        expect(histogramCount(merged)).toBe(histograms.reduce((sum, h) => sum + histogramCount(h), 0));
      }),
    );
  });

  test("an empty histogram has no percentile", () => {
    expect(histogramQuantile([], 0.5)).toBeNull();
    expect(histogramQuantile([0, 0], 0.95)).toBeNull();
  });
});

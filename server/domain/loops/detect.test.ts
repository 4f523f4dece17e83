import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baselineWindows, callHash, Debouncer, DEFAULT_LOOP_THRESHOLD, DEFAULT_LOOP_WINDOW_SEC, isLooping, loopSettings, peakCallsInWindow, SPEND_RATE_FLOOR_MICROS, spendRateCheck } from "./detect";

describe("peakCallsInWindow", () => {
  it("counts the fullest window (end − window, end] ending at a call from `from` on", () => {
    expect(peakCallsInWindow([0, 1, 2, 3, 4], 0, 60)).toBe(5);
    // The window's start is open: calls exactly one window apart are not in one window.
    expect(peakCallsInWindow([0, 10, 20, 30], 0, 10)).toBe(1);
    expect(peakCallsInWindow([0, 10, 20, 25, 29], 0, 10)).toBe(3);
    // Windows ending before `from` are not counted.
    expect(peakCallsInWindow([0, 1, 2, 100], 50, 10)).toBe(1);
    expect(peakCallsInWindow([], 0, 10)).toBe(0);
  });

  it("agrees with counting every window by hand", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 60 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 300 }), (raw, from, windowUs) => {
        const times = [...raw].sort((a, b) => a - b);
        const byHand = Math.max(0, ...times.filter((end) => end >= from).map((end) => times.filter((at) => at > end - windowUs && at <= end).length));
        expect(peakCallsInWindow(times, from, windowUs)).toBe(byHand);
      }),
    );
  });
});

describe("callHash", () => {
  it("is the same for the same tool and arguments in any key order", () => {
    expect(callHash("lookup", { a: 1, b: { c: [1, 2], d: "x" } })).toBe(callHash("lookup", { b: { d: "x", c: [1, 2] }, a: 1 }));
  });

  it("differs when the tool or any argument differs", () => {
    const base = callHash("lookup", { id: 1 });
    expect(callHash("lookup", { id: 2 })).not.toBe(base);
    expect(callHash("fetch", { id: 1 })).not.toBe(base);
    expect(callHash("lookup", { id: "1" })).not.toBe(base);
  });

  it("starts with the tool name and works without arguments", () => {
    expect(callHash("search", undefined)).toMatch(/^search#[0-9a-f]{64}$/);
    expect(callHash("search", undefined)).toBe(callHash("search", undefined));
    expect(callHash("search", { x: Number.NaN })).toBe(callHash("search", undefined));
  });

  it("never depends on key order (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(callHash("t", reversed)).toBe(callHash("t", record));
      }),
    );
  });
});

describe("loopSettings", () => {
  it("defaults to 5 calls in 60 s", () => {
    expect(loopSettings({ loopThreshold: null, loopWindowSec: null })).toEqual({ threshold: DEFAULT_LOOP_THRESHOLD, windowSec: DEFAULT_LOOP_WINDOW_SEC });
    expect(DEFAULT_LOOP_THRESHOLD).toBe(5);
    expect(DEFAULT_LOOP_WINDOW_SEC).toBe(60);
  });

  it("takes the agent's override, clamped to sane bounds", () => {
    expect(loopSettings({ loopThreshold: 20, loopWindowSec: 300 })).toEqual({ threshold: 20, windowSec: 300 });
    expect(loopSettings({ loopThreshold: 1, loopWindowSec: 0 })).toEqual({ threshold: 2, windowSec: 1 });
    expect(loopSettings({ loopThreshold: 3, loopWindowSec: null })).toEqual({ threshold: 3, windowSec: 60 });
  });

  it("is a loop from the threshold-th call on", () => {
    const settings = loopSettings({ loopThreshold: null, loopWindowSec: null });
    expect(isLooping(4, settings)).toBe(false);
    expect(isLooping(5, settings)).toBe(true);
    expect(isLooping(6, settings)).toBe(true);
  });
});

describe("spendRateCheck", () => {
  const week = 7n * 24n * 12n;
  it("is runaway when recent spend is over 10× the baseline and over the $5 floor", () => {
    // Baseline $0.60 per 5 minutes; $7 in the last 5 minutes.
    const verdict = spendRateCheck(7_000_000n, 600_000n * week, week);
    expect(verdict).toEqual({ runaway: true, recentMicros: 7_000_000n, baselineMicros: 600_000n });
  });

  it("is not runaway at exactly 10× the baseline", () => {
    expect(spendRateCheck(6_000_000n, 600_000n * week, week).runaway).toBe(false);
    expect(spendRateCheck(6_000_001n, 600_000n * week, week).runaway).toBe(true);
  });

  it("never halts at or below the floor, even with no history", () => {
    expect(SPEND_RATE_FLOOR_MICROS).toBe(5_000_000n);
    expect(spendRateCheck(SPEND_RATE_FLOOR_MICROS, 0n, week).runaway).toBe(false);
    expect(spendRateCheck(SPEND_RATE_FLOOR_MICROS + 1n, 0n, week).runaway).toBe(true);
  });

  it("leaves a busy agent alone when it spends at its usual rate", () => {
    expect(spendRateCheck(25_000_000n, 20_000_000n * week, week).runaway).toBe(false);
  });

  it("compares with the history the agent has, not a week padded with zeros", () => {
    // One day of history at $1 per 5 minutes: $8 now is 8×, not 56×.
    const day = baselineWindows(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-02T00:00:00Z"));
    expect(day).toBe(24n * 12n);
    expect(spendRateCheck(8_000_000n, 1_000_000n * day, day).runaway).toBe(false);
    expect(spendRateCheck(8_000_000n, 1_000_000n * day, week).runaway).toBe(true);
  });
});

describe("baselineWindows", () => {
  const now = new Date("2026-01-10T12:00:00Z");
  it("spans the agent's history, at least an hour and at most a week", () => {
    expect(baselineWindows(new Date("2026-01-10T09:00:00Z"), now)).toBe(3n * 12n);
    expect(baselineWindows(new Date("2026-01-10T12:00:00Z"), now)).toBe(12n);
    expect(baselineWindows(new Date("2025-12-01T00:00:00Z"), now)).toBe(7n * 24n * 12n);
    expect(baselineWindows(null, now)).toBe(7n * 24n * 12n);
  });
});

describe("Debouncer", () => {
  it("lets a key through at most once per interval", () => {
    const debouncer = new Debouncer(10_000);
    expect(debouncer.admit("a", 0)).toBe(true);
    expect(debouncer.admit("a", 9_999)).toBe(false);
    expect(debouncer.admit("b", 9_999)).toBe(true);
    expect(debouncer.admit("a", 10_000)).toBe(true);
  });

  it("keeps admitting new keys once its map is full", () => {
    const debouncer = new Debouncer(10, 3);
    for (let i = 0; i < 100; i++) expect(debouncer.admit(`k${i}`, i * 20)).toBe(true);
  });
});

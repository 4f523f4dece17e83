import { describe, expect, it } from "vitest";
import { ackSummary, allAcknowledged, formatMs, scopeTitle } from "./format";

const stats = (connected: number, acknowledged: number, p95Ms: number | null) => ({ connected, acknowledged, p50Ms: p95Ms, p95Ms, maxMs: p95Ms });

describe("ackSummary", () => {
  it("says how many of the connected instances acknowledged, and the p95", () => {
    expect(ackSummary(stats(500, 498, 87.4))).toBe("498 of 500 acknowledged, p95 87 ms");
    expect(ackSummary(stats(3, 0, null))).toBe("0 of 3 acknowledged");
  });

  it("says so when nothing is connected, and shows a dash without data", () => {
    expect(ackSummary(stats(0, 0, null))).toBe("No connected instances");
    expect(ackSummary(null)).toBe("—");
  });
});

describe("allAcknowledged", () => {
  it("is true only when every connected instance acknowledged", () => {
    expect(allAcknowledged(stats(2, 2, 10))).toBe(true);
    expect(allAcknowledged(stats(2, 1, 10))).toBe(false);
    expect(allAcknowledged(stats(0, 0, null))).toBe(false);
  });
});

describe("formatMs and scopeTitle", () => {
  it("formats durations and scopes", () => {
    expect(formatMs(12)).toBe("12 ms");
    expect(formatMs(2500)).toBe("2.50 s");
    expect(formatMs(180_000)).toBe("3 min");
    expect(scopeTitle("org", "Acme Corp")).toBe("Whole organisation (Acme Corp)");
    expect(scopeTitle("tag", "beta")).toBe("Tag beta");
  });
});

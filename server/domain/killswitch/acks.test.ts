import { describe, expect, it } from "vitest";
import { ackStats } from "./acks";

const engagedAt = new Date("2026-11-25T10:00:00.000Z");
const at = (ms: number) => new Date(engagedAt.getTime() + ms);

describe("ackStats", () => {
  it("counts instances at or past the switch's revision as acknowledged", () => {
    const stats = ackStats(engagedAt, 7, [
      { directiveVersion: 7, ackedAt: at(40) },
      { directiveVersion: 8, ackedAt: at(120) },
      { directiveVersion: 6, ackedAt: at(10) },
      { directiveVersion: null, ackedAt: null },
    ]);
    expect(stats.connected).toBe(4);
    expect(stats.acknowledged).toBe(2);
    expect(stats.p50Ms).toBe(40);
    expect(stats.p95Ms).toBe(120);
    expect(stats.maxMs).toBe(120);
  });

  it("has no timings when nobody acknowledged", () => {
    expect(ackStats(engagedAt, 3, [{ directiveVersion: 2, ackedAt: null }])).toEqual({ connected: 1, acknowledged: 0, p50Ms: null, p95Ms: null, maxMs: null });
  });

  it("p95 is the nearest rank over 20 samples", () => {
    const instances = Array.from({ length: 20 }, (_, i) => ({ directiveVersion: 1, ackedAt: at((i + 1) * 10) }));
    const stats = ackStats(engagedAt, 1, instances);
    expect(stats.p95Ms).toBe(190);
    expect(stats.p50Ms).toBe(100);
  });

  it("never reports a negative time", () => {
    expect(ackStats(engagedAt, 1, [{ directiveVersion: 1, ackedAt: at(-5) }]).maxMs).toBe(0);
  });
});

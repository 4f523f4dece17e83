import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockState, formatDuration, reportingDeadline, reportingDays } from "./incident-clock";

const aware = new Date("2026-12-01T09:30:00Z");

describe("Art. 73 reporting deadlines", () => {
  it("gives 15 days by default, 10 where a person died, 2 for widespread or critical-infrastructure incidents", () => {
    expect(reportingDays("other")).toBe(15);
    expect(reportingDays("death")).toBe(10);
    expect(reportingDays("widespread_or_critical_infrastructure")).toBe(2);
    expect(reportingDeadline(aware, true, "other")?.toISOString()).toBe("2026-12-16T09:30:00.000Z");
    expect(reportingDeadline(aware, true, "death")?.toISOString()).toBe("2026-12-11T09:30:00.000Z");
    expect(reportingDeadline(aware, true, "widespread_or_critical_infrastructure")?.toISOString()).toBe("2026-12-03T09:30:00.000Z");
  });

  it("has no deadline for an incident that is not serious", () => {
    expect(reportingDeadline(aware, false, "death")).toBeNull();
    expect(reportingDeadline(aware, true, null)).toBeNull();
    expect(clockState(null, null, aware)).toEqual({ state: "none" });
  });

  it("runs, goes overdue, and stops when reported", () => {
    const deadline = reportingDeadline(aware, true, "widespread_or_critical_infrastructure");
    expect(clockState(deadline, null, new Date("2026-12-02T09:30:00Z"))).toEqual({ state: "running", remainingMs: 86_400_000 });
    expect(clockState(deadline, null, new Date("2026-12-03T10:30:00Z"))).toEqual({ state: "overdue", overdueMs: 3_600_000 });
    expect(clockState(deadline, new Date("2026-12-02T09:30:00Z"), new Date("2027-01-01T00:00:00Z"))).toEqual({ state: "reported_on_time", marginMs: 86_400_000 });
    expect(clockState(deadline, new Date("2026-12-04T09:30:00Z"), new Date("2027-01-01T00:00:00Z"))).toEqual({ state: "reported_late", lateMs: 86_400_000 });
  });

  it("counts down monotonically while it runs", () => {
    const deadline = reportingDeadline(aware, true, "other") as Date;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 86_400_000 }), fc.integer({ min: 1, max: 86_400_000 }), (offset, step) => {
        const a = clockState(deadline, null, new Date(aware.getTime() + offset));
        const b = clockState(deadline, null, new Date(aware.getTime() + offset + step));
        const left = (state: typeof a) => (state.state === "running" ? state.remainingMs : state.state === "overdue" ? -state.overdueMs : Number.NaN);
        expect(left(b)).toBe(left(a) - step);
      }),
    );
  });

  it("words a countdown", () => {
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe("2 d 3 h 0 min");
    expect(formatDuration(5 * 3_600_000 + 12 * 60_000 + 30_000)).toBe("5 h 12 min 30 s");
    expect(formatDuration(42 * 60_000)).toBe("42 min 0 s");
    expect(formatDuration(30_000)).toBe("30 s");
  });
});

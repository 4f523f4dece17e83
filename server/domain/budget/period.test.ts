import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { nextPeriod, periodBounds, periodDays, utcDay } from "./period";

const instant = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });

describe("budget periods (UTC)", () => {
  test("a daily period is the UTC calendar day", () => {
    expect(periodBounds("daily", new Date("2026-11-25T23:59:59.999Z"))).toEqual({
      start: new Date("2026-11-25T00:00:00Z"),
      end: new Date("2026-11-26T00:00:00Z"),
    });
    // 00:30 in Berlin on the 26th is still the 25th in UTC.
    expect(periodBounds("daily", new Date("2026-11-26T00:30:00+01:00")).start).toEqual(new Date("2026-11-25T00:00:00Z"));
  });

  test("a monthly period runs from the 1st to the next month's 1st, across year ends and leap days", () => {
    expect(periodBounds("monthly", new Date("2026-12-31T23:00:00Z"))).toEqual({
      start: new Date("2026-12-01T00:00:00Z"),
      end: new Date("2027-01-01T00:00:00Z"),
    });
    expect(periodBounds("monthly", new Date("2028-02-29T12:00:00Z"))).toEqual({
      start: new Date("2028-02-01T00:00:00Z"),
      end: new Date("2028-03-01T00:00:00Z"),
    });
  });

  test("rollover: the instant a period ends is the first instant of the next", () => {
    const justBefore = new Date("2026-11-30T23:59:59.999Z");
    const rolled = new Date("2026-12-01T00:00:00.000Z");
    expect(periodBounds("monthly", justBefore).end).toEqual(rolled);
    expect(periodBounds("monthly", rolled).start).toEqual(rolled);
    expect(nextPeriod("daily", justBefore)).toEqual(periodBounds("daily", rolled));
  });

  test("property: every instant lies in exactly its period, and periods tile time", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom("daily" as const, "monthly" as const), (now, period) => {
        const bounds = periodBounds(period, now);
        expect(bounds.start.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(now.getTime()).toBeLessThan(bounds.end.getTime());
        expect(periodBounds(period, new Date(bounds.end.getTime() - 1))).toEqual(bounds);
        expect(periodBounds(period, bounds.end).start).toEqual(bounds.end);
        const hours = (bounds.end.getTime() - bounds.start.getTime()) / 3_600_000;
        if (period === "daily") expect(hours).toBe(24);
        else expect([672, 696, 720, 744]).toContain(hours);
      }),
    );
  });

  test("a period's SpendDaily days are its UTC days", () => {
    expect(periodDays(periodBounds("monthly", new Date("2026-02-10T00:00:00Z")))).toEqual({ from: "2026-02-01", until: "2026-03-01" });
    expect(utcDay(new Date("2026-11-25T23:59:59.999Z"))).toBe("2026-11-25");
  });
});

import { describe, expect, test } from "vitest";
import { argumentLines, isUrgent, outcomeLine, timeLeft } from "./present";

const now = new Date("2026-11-25T10:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);

describe("timeLeft", () => {
  test.each([
    [-1, "expired"],
    [0, "expired"],
    [400, "1 s left"],
    [45_000, "45 s left"],
    [60_000, "1 min left"],
    [61_000, "2 min left"],
    [29 * 60_000 + 30_000, "30 min left"],
    [60 * 60_000, "1 h left"],
    [65 * 60_000, "1 h 5 min left"],
  ])("%i ms → %s", (ms, label) => {
    expect(timeLeft(later(ms), now)).toBe(label);
  });
});

test("a request is urgent in the last fifth of its time, not after it expired", () => {
  const requested = later(-24 * 60_000); // 30 minutes in all
  expect(isUrgent(requested, later(6 * 60_000), now)).toBe(false);
  expect(isUrgent(requested, later(6 * 60_000 - 1), now)).toBe(true);
  expect(isUrgent(requested, later(-1), now)).toBe(false);
});

describe("argumentLines", () => {
  test("one line per argument, in the agent's order; strings as they are, the rest as JSON", () => {
    expect(argumentLines({ amount: 250, customer: "[REDACTED:email]", order: { id: "A-1" }, refund: true })).toEqual([
      { name: "amount", value: "250" },
      { name: "customer", value: "[REDACTED:email]" },
      { name: "order", value: '{"id":"A-1"}' },
      { name: "refund", value: "true" },
    ]);
  });

  test("no arguments, no lines; a bare value is shown as one", () => {
    expect(argumentLines(null)).toEqual([]);
    expect(argumentLines({})).toEqual([]);
    expect(argumentLines([1, 2])).toEqual([{ name: "(value)", value: "[1,2]" }]);
  });
});

describe("outcomeLine", () => {
  test("names who decided, their note, and whether the agent used an approval", () => {
    expect(outcomeLine({ status: "approved", decidedBy: "compliance@acme.test", note: "Genuine customer", usedAt: null })).toBe(
      "Approved by compliance@acme.test — “Genuine customer”. Not used by the agent yet.",
    );
    expect(outcomeLine({ status: "approved", decidedBy: "a@b.test", note: null, usedAt: now })).toBe("Approved by a@b.test. The agent has used it.");
    expect(outcomeLine({ status: "denied", decidedBy: "a@b.test", note: null, usedAt: null })).toBe("Denied by a@b.test.");
    expect(outcomeLine({ status: "expired", decidedBy: null, note: null, usedAt: null })).toMatch(/expired/);
  });
});

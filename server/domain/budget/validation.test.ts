import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { budgetCreateSchema, checkLimitAgainstSpent, checkTeamAllocation, MAX_LIMIT_MICROS, parseLimitUsd } from "./validation";

describe("a budget's limit", () => {
  test("takes dollars with or without a $ sign, commas and cents", () => {
    expect(parseLimitUsd("250")).toEqual({ ok: true, micros: 250_000_000n });
    expect(parseLimitUsd(" $1,250.50 ")).toEqual({ ok: true, micros: 1_250_500_000n });
    expect(parseLimitUsd("0.000001")).toEqual({ ok: true, micros: 1n });
  });

  test("refuses negative, zero, absurd and malformed amounts with a message", () => {
    expect(parseLimitUsd("-5")).toEqual({ ok: false, message: "The limit cannot be negative" });
    expect(parseLimitUsd("0")).toEqual({ ok: false, message: "The limit must be more than $0" });
    expect(parseLimitUsd("0.0000001")).toEqual({ ok: false, message: "At most six decimal places (a micro-dollar)" });
    expect(parseLimitUsd("10000000.01")).toEqual({ ok: false, message: "The limit must be at most $10,000,000.00 per period" });
    expect(parseLimitUsd("1e9")).toMatchObject({ ok: false });
    expect(parseLimitUsd("99999999999999999999999")).toEqual({ ok: false, message: "The limit must be at most $10,000,000.00 per period" });
    expect(parseLimitUsd("")).toMatchObject({ ok: false });
    expect(parseLimitUsd("ten")).toMatchObject({ ok: false });
  });

  test("property: whatever the text, an accepted limit is > 0 and ≤ the maximum", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^-?\d{0,10}(\.\d{0,8})?$/)), (text) => {
        const parsed = parseLimitUsd(text);
        if (parsed.ok) expect(parsed.micros > 0n && parsed.micros <= MAX_LIMIT_MICROS).toBe(true);
        else expect(parsed.message.length).toBeGreaterThan(0);
      }),
    );
  });

  test("the create form needs a team for a team budget and an agent for an agent budget", () => {
    const base = { mode: "hard", limitUsd: "10", period: "monthly" } as const;
    expect(budgetCreateSchema.safeParse({ ...base, scope: "team" }).error?.issues[0]).toMatchObject({ path: ["teamId"], message: "Choose a team" });
    expect(budgetCreateSchema.safeParse({ ...base, scope: "agent" }).error?.issues[0]).toMatchObject({ path: ["agentId"], message: "Choose an agent" });
    expect(budgetCreateSchema.parse({ ...base, scope: "org" }).thresholds).toEqual([50, 80, 100]);
    expect(budgetCreateSchema.safeParse({ ...base, scope: "org", thresholds: [50, 50] }).success).toBe(false);
    expect(budgetCreateSchema.safeParse({ ...base, scope: "org", thresholds: [150] }).success).toBe(false);
  });
});

describe("a limit below what is already spent", () => {
  test("is refused, saying how much was spent", () => {
    expect(checkLimitAgainstSpent(5_000_000n, 7_250_000n, "monthly")).toBe("The limit $5.00 is below what is already spent this month (UTC): $7.25. Set at least $7.25.");
    expect(checkLimitAgainstSpent(7_250_000n, 7_250_000n, "daily")).toBeNull();
  });
});

describe("a team lead splitting the team's budget", () => {
  test("within what is left: allowed", () => {
    expect(checkTeamAllocation({ teamName: "Finance", period: "monthly", teamLimitMicros: 1_000_000_000n, otherAllocationsMicros: 600_000_000n, requestedMicros: 400_000_000n })).toEqual({
      ok: true,
      availableMicros: 400_000_000n,
    });
  });

  test("more than is left: refused with the amount available", () => {
    expect(checkTeamAllocation({ teamName: "Finance", period: "monthly", teamLimitMicros: 1_000_000_000n, otherAllocationsMicros: 600_000_000n, requestedMicros: 400_000_001n })).toEqual({
      ok: false,
      availableMicros: 400_000_000n,
      message: "That is more than Finance has left to allocate: $400.00 available of its $1,000.00 monthly budget.",
    });
  });

  test("a team without a budget of that period has nothing to split", () => {
    expect(checkTeamAllocation({ teamName: "IT", period: "daily", teamLimitMicros: null, otherAllocationsMicros: 0n, requestedMicros: 1n })).toMatchObject({
      ok: false,
      availableMicros: 0n,
      message: "IT has no daily budget to split among its agents. An owner or admin sets team budgets.",
    });
  });

  test("property: allowed exactly when the allocations stay within the team's budget", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_LIMIT_MICROS }), fc.bigInt({ min: 0n, max: MAX_LIMIT_MICROS }), fc.bigInt({ min: 1n, max: MAX_LIMIT_MICROS }), (team, others, requested) => {
        const result = checkTeamAllocation({ teamName: "T", period: "monthly", teamLimitMicros: team, otherAllocationsMicros: others, requestedMicros: requested });
        expect(result.ok).toBe(others + requested <= team);
        expect(result.availableMicros >= 0n).toBe(true);
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { applicableBudgets, checkReservation, forecastAtPeriodEnd, isExhausted, newlyCrossed, remainingMicros, scopeKey, thresholdsReached, tightestBudget, wouldExceed, type BudgetState } from "./arithmetic";
import { periodBounds } from "./period";

const micros = fc.bigInt({ min: 0n, max: 10_000_000_000_000n });

function state(overrides: Partial<BudgetState> & { budgetId: string }): BudgetState {
  return { scope: "org", period: "monthly", mode: "hard", limitMicros: 100_000_000n, spentMicros: 0n, reservedMicros: 0n, ...overrides };
}

const stateArb = fc.record({
  budgetId: fc.uuid(),
  scope: fc.constantFrom("org" as const, "team" as const, "agent" as const),
  period: fc.constantFrom("daily" as const, "monthly" as const),
  mode: fc.constantFrom("hard" as const, "soft" as const),
  limitMicros: fc.bigInt({ min: 1n, max: 10_000_000_000_000n }),
  spentMicros: micros,
  reservedMicros: micros,
});

describe("which budgets apply", () => {
  const agent = { id: "a1", teamId: "t1" };
  const budgets = [
    { id: "org", scope: "org" as const, teamId: null, agentId: null },
    { id: "team", scope: "team" as const, teamId: "t1", agentId: null },
    { id: "other-team", scope: "team" as const, teamId: "t2", agentId: null },
    { id: "agent", scope: "agent" as const, teamId: "t1", agentId: "a1" },
    { id: "other-agent", scope: "agent" as const, teamId: "t1", agentId: "a2" },
  ];

  test("the agent's own, its team's and the org's", () => {
    expect(applicableBudgets(budgets, agent).map((budget) => budget.id)).toEqual(["org", "team", "agent"]);
  });

  test("an agent in no team: no team budget applies", () => {
    expect(applicableBudgets(budgets, { id: "a1", teamId: null }).map((budget) => budget.id)).toEqual(["org", "agent"]);
  });

  test("scope keys are unique per scope", () => {
    expect(scopeKey({ scope: "org", teamId: null, agentId: null })).toBe("org");
    expect(scopeKey({ scope: "team", teamId: "t1", agentId: null })).toBe("team:t1");
    expect(scopeKey({ scope: "agent", teamId: "t1", agentId: "a1" })).toBe("agent:a1");
  });
});

describe("the hard cap", () => {
  test("a reservation that lands exactly on the limit fits; one micro-dollar more does not", () => {
    const budget = state({ budgetId: "b", limitMicros: 1_000_000n, spentMicros: 400_000n, reservedMicros: 100_000n });
    expect(wouldExceed(budget, 500_000n)).toBe(false);
    expect(wouldExceed(budget, 500_001n)).toBe(true);
    expect(remainingMicros(budget)).toBe(500_000n);
  });

  test("soft budgets never refuse; the tightest hard budget that would go over is named", () => {
    const org = state({ budgetId: "org", scope: "org", limitMicros: 10_000_000n, spentMicros: 9_500_000n });
    const team = state({ budgetId: "team", scope: "team", limitMicros: 1_000_000n, spentMicros: 900_000n });
    const soft = state({ budgetId: "soft", scope: "agent", mode: "soft", limitMicros: 1n, spentMicros: 5n });
    const result = checkReservation([org, team, soft], 600_000n);
    expect(result).toEqual({ ok: false, refusedBy: team });
    expect(checkReservation([soft], 1_000_000_000n)).toEqual({ ok: true });
  });

  test("a negative reservation is a programming error", () => {
    expect(() => checkReservation([], -1n)).toThrow(RangeError);
  });

  test("property: allowed exactly when every hard budget keeps spent + reserved + amount within its limit", () => {
    fc.assert(
      fc.property(fc.array(stateArb, { maxLength: 4 }), micros, (states, amount) => {
        const result = checkReservation(states, amount);
        const fits = states.every((s) => s.mode === "soft" || s.spentMicros + s.reservedMicros + amount <= s.limitMicros);
        expect(result.ok).toBe(fits);
        if (!result.ok) {
          expect(result.refusedBy.mode).toBe("hard");
          // Nothing that refused has less remaining than the one named.
          for (const s of states) if (s.mode === "hard" && wouldExceed(s, amount)) expect(remainingMicros(s) >= remainingMicros(result.refusedBy)).toBe(true);
        }
      }),
    );
  });

  test("property: taking reservations while they fit never passes the limit, and stops only when the next would", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1_000_000_000n }), fc.bigInt({ min: 0n, max: 1_000_000_000n }), fc.array(fc.bigInt({ min: 1n, max: 50_000_000n }), { maxLength: 60 }), (limit, spent, amounts) => {
        let reserved = 0n;
        for (const amount of amounts) {
          const budget = state({ budgetId: "b", limitMicros: limit, spentMicros: spent, reservedMicros: reserved });
          const ok = checkReservation([budget], amount).ok;
          expect(ok).toBe(spent + reserved + amount <= limit);
          if (ok) reserved += amount;
        }
        expect(spent + reserved <= limit || reserved === 0n).toBe(true);
      }),
    );
  });

  test("property: with equal amounts, exactly floor(remaining / amount) reservations fit", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000_000n }), fc.bigInt({ min: 1n, max: 10_000_000n }), (limit, amount) => {
        let reserved = 0n;
        let allowed = 0n;
        for (let i = 0; i < 200; i++) {
          if (checkReservation([state({ budgetId: "b", limitMicros: limit, reservedMicros: reserved })], amount).ok) {
            reserved += amount;
            allowed += 1n;
          }
        }
        const expected = limit / amount < 200n ? limit / amount : 200n;
        expect(allowed).toBe(expected);
      }),
    );
  });

  test("property: remaining is never negative and never more than the limit", () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const remaining = remainingMicros(s);
        expect(remaining >= 0n && remaining <= s.limitMicros).toBe(true);
      }),
    );
  });

  test("a hard budget is exhausted when actual spend reaches its limit; a soft one never halts", () => {
    expect(isExhausted(state({ budgetId: "b", limitMicros: 100n, spentMicros: 100n }))).toBe(true);
    expect(isExhausted(state({ budgetId: "b", limitMicros: 100n, spentMicros: 99n, reservedMicros: 50n }))).toBe(false);
    expect(isExhausted(state({ budgetId: "b", mode: "soft", limitMicros: 100n, spentMicros: 1000n }))).toBe(false);
  });
});

describe("the tightest budget (for directives)", () => {
  test("the hard budget with the least remaining, even when a soft one has less", () => {
    const org = state({ budgetId: "org", limitMicros: 1_000_000_000n });
    const daily = state({ budgetId: "daily", scope: "agent", period: "daily", limitMicros: 1_000_000n, spentMicros: 200_000n });
    const soft = state({ budgetId: "soft", scope: "team", mode: "soft", limitMicros: 10n });
    expect(tightestBudget([org, soft, daily])?.budgetId).toBe("daily");
    expect(tightestBudget([soft, state({ budgetId: "soft2", mode: "soft", limitMicros: 5n })])?.budgetId).toBe("soft2");
    expect(tightestBudget([])).toBeNull();
  });

  test("ties go to the narrower scope", () => {
    const org = state({ budgetId: "z-org", scope: "org", limitMicros: 100n });
    const agent = state({ budgetId: "a-agent", scope: "agent", limitMicros: 100n });
    expect(tightestBudget([org, agent])?.budgetId).toBe("a-agent");
  });
});

describe("alert thresholds", () => {
  test("50 and 80 crossed together by one large spend; 100 not yet", () => {
    expect(newlyCrossed({ thresholds: [50, 80, 100], limitMicros: 1_000_000n, beforeMicros: 400_000n, afterMicros: 850_000n })).toEqual([50, 80]);
  });

  test("exactly at a threshold counts as crossed; already alerted ones are left out", () => {
    expect(newlyCrossed({ thresholds: [50, 80, 100], limitMicros: 1_000_000n, beforeMicros: 0n, afterMicros: 1_000_000n, alreadyAlerted: [50] })).toEqual([80, 100]);
  });

  test("property: newly crossed = reached after minus reached before minus alerted, and spend going down crosses nothing", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { maxLength: 5 }), fc.bigInt({ min: 1n, max: 1_000_000_000n }), micros, micros, (thresholds, limit, a, b) => {
        const [before, after] = a <= b ? [a, b] : [b, a];
        const crossed = newlyCrossed({ thresholds, limitMicros: limit, beforeMicros: before, afterMicros: after });
        const reachedAfter = thresholdsReached(thresholds, limit, after);
        const reachedBefore = thresholdsReached(thresholds, limit, before);
        expect(crossed).toEqual(reachedAfter.filter((t) => !reachedBefore.includes(t)));
        for (const t of crossed) expect(after * 100n >= limit * BigInt(t) && before * 100n < limit * BigInt(t)).toBe(true);
        expect(newlyCrossed({ thresholds, limitMicros: limit, beforeMicros: after, afterMicros: before })).toEqual([]);
      }),
    );
  });
});

describe("month-end forecast", () => {
  const november = periodBounds("monthly", new Date("2026-11-15T00:00:00Z"));

  test("$100 spent in the first 10 of 30 days forecasts $300", () => {
    expect(forecastAtPeriodEnd(100_000_000n, november, new Date("2026-11-11T00:00:00Z"))).toBe(300_000_000n);
  });

  test("at the very start it is what was spent; at or after the end too", () => {
    expect(forecastAtPeriodEnd(5n, november, november.start)).toBe(5n);
    expect(forecastAtPeriodEnd(5n, november, november.end)).toBe(5n);
    expect(forecastAtPeriodEnd(5n, november, new Date("2027-01-01T00:00:00Z"))).toBe(5n);
  });

  test("property: never below what was spent, and falls as time passes with no new spend", () => {
    fc.assert(
      fc.property(micros, fc.integer({ min: 1, max: 30 * 86_400_000 - 2 }), fc.integer({ min: 1, max: 1_000_000 }), (spent, offset, later) => {
        const now = new Date(november.start.getTime() + offset);
        const forecast = forecastAtPeriodEnd(spent, november, now);
        expect(forecast >= spent).toBe(true);
        const afterwards = forecastAtPeriodEnd(spent, november, new Date(Math.min(now.getTime() + later, november.end.getTime() - 1)));
        expect(afterwards <= forecast).toBe(true);
      }),
    );
  });
});

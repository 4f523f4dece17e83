// Budget periods are UTC: a daily budget runs from 00:00 UTC to the next 00:00 UTC, a monthly one
// from the 1st 00:00 UTC to the next month's 1st. Every process computes the same boundaries
// whatever its own time zone, so a period rolls over at the same instant everywhere.

export const BUDGET_PERIODS = ["daily", "monthly"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export interface PeriodBounds {
  /** Inclusive. */
  start: Date;
  /** Exclusive: the first instant of the next period. */
  end: Date;
}

export function periodBounds(period: BudgetPeriod, now: Date): PeriodBounds {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (period === "daily") {
    const day = now.getUTCDate();
    return { start: new Date(Date.UTC(year, month, day)), end: new Date(Date.UTC(year, month, day + 1)) };
  }
  return { start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) };
}

/** The period after the one containing `now` (what a rollover moves to). */
export function nextPeriod(period: BudgetPeriod, now: Date): PeriodBounds {
  return periodBounds(period, periodBounds(period, now).end);
}

/** The UTC calendar day of an instant, as "YYYY-MM-DD" (SpendDaily's key). */
export function utcDay(ts: Date): string {
  return ts.toISOString().slice(0, 10);
}

/** The days (as "YYYY-MM-DD") a period covers: SpendDaily rows with start ≤ day < end. */
export function periodDays(bounds: PeriodBounds): { from: string; until: string } {
  return { from: utcDay(bounds.start), until: utcDay(bounds.end) };
}

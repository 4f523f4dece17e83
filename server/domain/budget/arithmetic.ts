// Budget arithmetic on integer micro-dollars (bigint), never floats: which budgets apply to an
// agent, whether a reservation fits, what remains, which is the tightest, which alert thresholds
// a change crosses, and the linear forecast to the end of the period.
import type { BudgetPeriod, PeriodBounds } from "./period";

export const BUDGET_SCOPES = ["org", "team", "agent"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_MODES = ["hard", "soft"] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];

export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 100];

export interface BudgetTarget {
  scope: BudgetScope;
  teamId: string | null;
  agentId: string | null;
}

/** The unique key of a budget's scope within its org (one daily and one monthly budget per scope). */
export function scopeKey(target: BudgetTarget): string {
  if (target.scope === "org") return "org";
  if (target.scope === "team") return `team:${target.teamId ?? ""}`;
  return `agent:${target.agentId ?? ""}`;
}

/** Whether a budget governs an agent: its own budget, its team's, and the org's. */
export function appliesTo(budget: BudgetTarget, agent: { id: string; teamId: string | null }): boolean {
  if (budget.scope === "org") return true;
  if (budget.scope === "team") return agent.teamId !== null && budget.teamId === agent.teamId;
  return budget.agentId === agent.id;
}

export function applicableBudgets<B extends BudgetTarget>(budgets: readonly B[], agent: { id: string; teamId: string | null }): B[] {
  return budgets.filter((budget) => appliesTo(budget, agent));
}

/** A budget's figures for its current period. */
export interface BudgetState {
  budgetId: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  mode: BudgetMode;
  limitMicros: bigint;
  spentMicros: bigint;
  reservedMicros: bigint;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** What can still be reserved: limit − spent − reserved, never below zero. */
export function remainingMicros(state: Pick<BudgetState, "limitMicros" | "spentMicros" | "reservedMicros">): bigint {
  return max(0n, state.limitMicros - state.spentMicros - state.reservedMicros);
}

/** The hard-cap rule: a reservation may not take spent + reserved beyond the limit. */
export function wouldExceed(state: Pick<BudgetState, "limitMicros" | "spentMicros" | "reservedMicros">, amountMicros: bigint): boolean {
  return state.spentMicros + state.reservedMicros + amountMicros > state.limitMicros;
}

/** A hard budget whose actual spend has reached its limit: the agent is halted until rollover or a raise. */
export function isExhausted(state: Pick<BudgetState, "mode" | "limitMicros" | "spentMicros">): boolean {
  return state.mode === "hard" && state.spentMicros >= state.limitMicros;
}

const SCOPE_ORDER: Record<BudgetScope, number> = { agent: 0, team: 1, org: 2 };

/** Smallest remaining first; ties go to the narrowest scope (agent, team, org), then the daily period. */
function tighter(a: BudgetState, b: BudgetState): number {
  const ra = remainingMicros(a);
  const rb = remainingMicros(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.scope !== b.scope) return SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope];
  if (a.period !== b.period) return a.period === "daily" ? -1 : 1;
  return a.budgetId < b.budgetId ? -1 : a.budgetId > b.budgetId ? 1 : 0;
}

/**
 * Checks a reservation against every budget that applies. Only hard budgets refuse; when several
 * would go over, the refusal names the tightest of them.
 */
export function checkReservation<S extends BudgetState>(states: readonly S[], amountMicros: bigint): { ok: true } | { ok: false; refusedBy: S } {
  if (amountMicros < 0n) throw new RangeError("A reservation cannot be negative");
  const over = states.filter((state) => state.mode === "hard" && wouldExceed(state, amountMicros)).sort(tighter);
  const refusedBy = over[0];
  return refusedBy ? { ok: false, refusedBy } : { ok: true };
}

/**
 * The budget an agent should be told about: the hard budget with the least remaining (a hard
 * budget is the one that will stop it), or the tightest soft one when no hard budget applies.
 */
export function tightestBudget<S extends BudgetState>(states: readonly S[]): S | null {
  const hard = states.filter((state) => state.mode === "hard");
  const pool = hard.length > 0 ? hard : [...states];
  return pool.sort(tighter)[0] ?? null;
}

/** Thresholds (percent of the limit) that `usedMicros` has reached. */
export function thresholdsReached(thresholds: readonly number[], limitMicros: bigint, usedMicros: bigint): number[] {
  if (limitMicros <= 0n) return [...thresholds].sort((a, b) => a - b);
  return [...new Set(thresholds)].filter((percent) => usedMicros * 100n >= limitMicros * BigInt(percent)).sort((a, b) => a - b);
}

/** Thresholds newly crossed by going from `beforeMicros` to `afterMicros`, leaving out those already alerted. */
export function newlyCrossed(input: { thresholds: readonly number[]; limitMicros: bigint; beforeMicros: bigint; afterMicros: bigint; alreadyAlerted?: readonly number[] }): number[] {
  const before = new Set(thresholdsReached(input.thresholds, input.limitMicros, input.beforeMicros));
  const alerted = new Set(input.alreadyAlerted ?? []);
  return thresholdsReached(input.thresholds, input.limitMicros, input.afterMicros).filter((percent) => !before.has(percent) && !alerted.has(percent));
}

/**
 * Linear run-rate forecast of spend at the end of the period: what was spent so far, scaled from
 * the time elapsed to the whole period (rounded half up to the micro-dollar). At or after the
 * end it is what was spent; at the very start, with no time elapsed, it is what was spent.
 */
export function forecastAtPeriodEnd(spentMicros: bigint, bounds: PeriodBounds, now: Date): bigint {
  const total = BigInt(bounds.end.getTime() - bounds.start.getTime());
  const elapsed = BigInt(Math.min(Math.max(now.getTime() - bounds.start.getTime(), 0), bounds.end.getTime() - bounds.start.getTime()));
  if (elapsed === 0n || elapsed >= total) return spentMicros;
  return (spentMicros * total + elapsed / 2n) / elapsed;
}

/** Percent of the limit used, for display (one decimal, computed on integers). */
export function percentUsed(limitMicros: bigint, usedMicros: bigint): number {
  if (limitMicros <= 0n) return 0;
  return Number((usedMicros * 1000n) / limitMicros) / 10;
}

// The rules a budget must satisfy before it is stored, with messages a person can act on. Pure;
// the router supplies the figures (spent this period, the team's budget and other allocations).
import { z } from "zod";
import { formatMicroUsd, usdToMicros } from "../cost/money";
import { BUDGET_MODES, BUDGET_SCOPES, DEFAULT_THRESHOLDS } from "./arithmetic";
import { BUDGET_PERIODS, type BudgetPeriod } from "./period";

/** No single budget above ten million dollars a period: larger figures are typos, not budgets. */
export const MAX_LIMIT_MICROS = 10_000_000n * 1_000_000n;

/** Money for messages: cents, or four decimals when cents would hide the figure. */
export function usdText(micros: bigint): string {
  return formatMicroUsd(micros, { precise: micros % 10_000n !== 0n });
}

export type LimitParse = { ok: true; micros: bigint } | { ok: false; message: string };

export function parseLimitUsd(raw: string): LimitParse {
  const text = raw.trim().replace(/^\$/, "").replace(/,/g, "");
  if (text === "") return { ok: false, message: "Enter a limit in US dollars, such as 250 or 99.50" };
  if (/^-/.test(text)) return { ok: false, message: "The limit cannot be negative" };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: "Enter a limit in US dollars, such as 250 or 99.50" };
  if (/\.\d{7,}$/.test(text)) return { ok: false, message: "At most six decimal places (a micro-dollar)" };
  if (text.replace(/\..*$/, "").replace(/^0+/, "").length > 9) return { ok: false, message: `The limit must be at most ${usdText(MAX_LIMIT_MICROS)} per period` };
  const micros = usdToMicros(text);
  if (micros <= 0n) return { ok: false, message: "The limit must be more than $0" };
  if (micros > MAX_LIMIT_MICROS) return { ok: false, message: `The limit must be at most ${usdText(MAX_LIMIT_MICROS)} per period` };
  return { ok: true, micros };
}

const limitUsd = z.string().superRefine((value, ctx) => {
  const parsed = parseLimitUsd(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
});

const thresholds = z
  .array(z.number().int("Whole percentages only").min(1, "A threshold is at least 1 %").max(100, "A threshold is at most 100 %"))
  .max(5, "At most five thresholds")
  .refine((list) => new Set(list).size === list.length, "Each threshold once")
  .default([...DEFAULT_THRESHOLDS]);

/** The fields a budget form edits (shared by the form and the router, so both refuse alike). */
export const budgetFieldsSchema = z.object({
  mode: z.enum(BUDGET_MODES),
  limitUsd,
  thresholds,
});

export const budgetCreateSchema = budgetFieldsSchema
  .extend({
    scope: z.enum(BUDGET_SCOPES),
    teamId: z.string().uuid().nullable().default(null),
    agentId: z.string().uuid().nullable().default(null),
    period: z.enum(BUDGET_PERIODS),
  })
  .superRefine((value, ctx) => {
    if (value.scope === "team" && !value.teamId) ctx.addIssue({ code: "custom", path: ["teamId"], message: "Choose a team" });
    if (value.scope === "agent" && !value.agentId) ctx.addIssue({ code: "custom", path: ["agentId"], message: "Choose an agent" });
  });

export const budgetRef = z.object({ budgetId: z.string().uuid() });

/** An edit: scope and period stay, the mode, limit and thresholds change. */
export const budgetUpdateSchema = budgetRef.extend({ fields: budgetFieldsSchema });

/** Refuses a limit below what the scope has already spent this period. */
export function checkLimitAgainstSpent(limitMicros: bigint, spentMicros: bigint, period: BudgetPeriod): string | null {
  if (limitMicros >= spentMicros) return null;
  const when = period === "daily" ? "today (UTC)" : "this month (UTC)";
  return `The limit ${usdText(limitMicros)} is below what is already spent ${when}: ${usdText(spentMicros)}. Set at least ${usdText(spentMicros)}.`;
}

export type AllocationCheck = { ok: true; availableMicros: bigint } | { ok: false; availableMicros: bigint; message: string };

/**
 * A team lead splits the team's budget among its agents: the agents' budgets of one period
 * (this one included) may not add up to more than the team's budget of that period.
 */
export function checkTeamAllocation(input: {
  teamName: string;
  period: BudgetPeriod;
  teamLimitMicros: bigint | null;
  /** The team's other agents' budgets of the same period (not the one being set). */
  otherAllocationsMicros: bigint;
  requestedMicros: bigint;
}): AllocationCheck {
  if (input.teamLimitMicros === null) {
    return {
      ok: false,
      availableMicros: 0n,
      message: `${input.teamName} has no ${input.period} budget to split among its agents. An owner or admin sets team budgets.`,
    };
  }
  const available = input.teamLimitMicros - input.otherAllocationsMicros;
  const availableMicros = available > 0n ? available : 0n;
  if (input.requestedMicros <= availableMicros) return { ok: true, availableMicros };
  return {
    ok: false,
    availableMicros,
    message: `That is more than ${input.teamName} has left to allocate: ${usdText(availableMicros)} available of its ${usdText(input.teamLimitMicros)} ${input.period} budget.`,
  };
}

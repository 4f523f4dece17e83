// Control statuses and how they combine. Never assessed is never met: an evaluation that is missing
// or could not look at the evidence is "not assessed", and only an applicable control with a check
// that found its evidence is "met".
export const CONTROL_STATUSES = ["met", "gap", "not_applicable", "not_assessed"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** What a check found. */
export type CheckOutcome = { status: "met" | "gap" | "not_assessed"; summary: string; evidence: Record<string, unknown> };

export const STATUS_LABELS: Record<ControlStatus | "partial", string> = {
  met: "Met",
  gap: "Gap",
  not_applicable: "Not applicable",
  not_assessed: "Not assessed",
  partial: "Partial",
};

/** A control's status for one agent: not applicable wins; a missing outcome is not assessed. */
export function statusOf(applies: boolean, outcome: CheckOutcome | null | undefined): ControlStatus {
  if (!applies) return "not_applicable";
  if (!outcome) return "not_assessed";
  return outcome.status;
}

/** Gaps first, then not assessed, then met, then not applicable. */
export const STATUS_ORDER: Record<ControlStatus | "partial", number> = { gap: 0, partial: 1, not_assessed: 2, met: 3, not_applicable: 4 };

/**
 * One control across several agents (an evidence pack's scope): met only when every agent it
 * applies to meets it; gap when none does; partial in between; not assessed when any applicable
 * agent was not assessed and none has a gap; not applicable when it applies to none.
 */
export function rollUpStatus(statuses: readonly ControlStatus[]): ControlStatus | "partial" {
  const applicable = statuses.filter((status) => status !== "not_applicable");
  if (applicable.length === 0) return "not_applicable";
  const met = applicable.filter((status) => status === "met").length;
  const gaps = applicable.filter((status) => status === "gap").length;
  if (met === applicable.length) return "met";
  if (gaps === applicable.length) return "gap";
  if (gaps > 0) return "partial";
  if (met > 0) return "partial";
  return "not_assessed";
}

export interface StatusCounts {
  met: number;
  gap: number;
  not_applicable: number;
  not_assessed: number;
}

export function countStatuses(statuses: readonly ControlStatus[]): StatusCounts {
  const counts: StatusCounts = { met: 0, gap: 0, not_applicable: 0, not_assessed: 0 };
  for (const status of statuses) counts[status] += 1;
  return counts;
}

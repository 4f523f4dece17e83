// What an agent must do now, from the org's facts and its budgets' counters. Pure: decide answers
// it from the counters its commit read under lock; heartbeats, events and the directives stream
// from counters read for them.
import { isExhausted, remainingMicros, tightestBudget, type BudgetState } from "../budget/arithmetic";
import { periodBounds } from "../budget/period";
import { microsToUsdString } from "../cost/money";
import { switchFor } from "../killswitch/match";
import type { AgentProfile, OrgFacts } from "./types";

export const HALT_REASONS = ["kill_switch", "budget_exhausted", "loop_detected", "retired"] as const;
export type HaltReason = (typeof HALT_REASONS)[number];

export interface BudgetDirective {
  limitUsd: string;
  spentUsd: string;
  reservedUsd: string;
  remainingUsd: string;
  periodEnd: string;
}

export interface Directives {
  halt: boolean;
  reason?: HaltReason;
  killSwitchId?: string;
  budget: BudgetDirective | null;
  version?: { id: string; label: string };
  /** The instance runs a deprecated version: it may go on, and should move to `version`. */
  warning?: { code: "version_deprecated"; message: string };
  /** The org's directives revision: the instance sends it back in heartbeats once applied. */
  revision: number;
}

/** The tightest budget to tell the agent about, and whether a spent hard budget halts it. */
export function budgetDirective(states: readonly BudgetState[], now: Date): { halt: boolean; budget: BudgetDirective | null } {
  const exhausted = states.filter(isExhausted);
  const chosen = tightestBudget(exhausted.length > 0 ? exhausted : states);
  if (!chosen) return { halt: false, budget: null };
  return {
    halt: exhausted.length > 0,
    budget: {
      limitUsd: microsToUsdString(chosen.limitMicros),
      spentUsd: microsToUsdString(chosen.spentMicros),
      reservedUsd: microsToUsdString(chosen.reservedMicros),
      remainingUsd: microsToUsdString(remainingMicros(chosen)),
      periodEnd: periodBounds(chosen.period, now).end.toISOString(),
    },
  };
}

/**
 * The agent's directives. `instance` says what lifecycle told this instance (versionVerdict): the
 * version to run, a deprecation warning, or that its version is retired with nothing to move to.
 */
export function directivesOf(
  facts: Pick<OrgFacts, "switches" | "revision">,
  agent: AgentProfile,
  budgetStates: readonly BudgetState[],
  now: Date,
  instance: { version: { id: string; label: string } | null; warning?: Directives["warning"] | null; retiredWithNowhereToGo?: boolean } = { version: null },
): Directives {
  const { halt: budgetHalt, budget } = budgetDirective(budgetStates, now);
  const lifecycle = {
    ...(instance.version ? { version: { id: instance.version.id, label: instance.version.label } } : {}),
    ...(instance.warning ? { warning: instance.warning } : {}),
  };
  const revision = facts.revision;
  if (agent.status === "archived" || instance.retiredWithNowhereToGo) return { halt: true, reason: "retired", budget, ...lifecycle, revision };
  const stopping = switchFor(facts.switches, { agentId: agent.id, teamId: agent.teamId, tags: agent.tags });
  if (stopping) return { halt: true, reason: stopping.reasonCode === "loop_detected" ? "loop_detected" : "kill_switch", killSwitchId: stopping.id, budget, ...lifecycle, revision };
  if (budgetHalt) return { halt: true, reason: "budget_exhausted", budget, ...lifecycle, revision };
  return { halt: false, budget, ...lifecycle, revision };
}

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

export function directivesOf(facts: Pick<OrgFacts, "switches" | "revision">, agent: AgentProfile, budgetStates: readonly BudgetState[], now: Date): Directives {
  const { halt: budgetHalt, budget } = budgetDirective(budgetStates, now);
  const revision = facts.revision;
  if (agent.status === "archived") return { halt: true, reason: "retired", budget, revision };
  const stopping = switchFor(facts.switches, { agentId: agent.id, teamId: agent.teamId, tags: agent.tags });
  if (stopping) return { halt: true, reason: stopping.reasonCode === "loop_detected" ? "loop_detected" : "kill_switch", killSwitchId: stopping.id, budget, revision };
  if (budgetHalt) return { halt: true, reason: "budget_exhausted", budget, revision };
  return { halt: false, budget, revision };
}

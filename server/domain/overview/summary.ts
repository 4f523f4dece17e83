// The Overview dashboard's figures, from plain data: agents by status and health, spend this
// month against the budget with its month-end forecast, the last 24 hours against the 24 before,
// and how many incidents are open. Pure; the queries are in server/data/overview.ts.
import { appliesTo, forecastAtPeriodEnd, percentUsed, type BudgetTarget } from "../budget/arithmetic";
import { periodBounds, utcDay } from "../budget/period";
import { switchFor, type ActiveSwitch } from "../killswitch/match";
import { agentHealth, type AgentHealth } from "../telemetry/health";

// ---------------------------------------------------------------------------------------------
// Agents

export type AgentStatus = "active" | "discovered" | "archived";

export interface OverviewAgent {
  id: string;
  teamId: string | null;
  tags: readonly string[];
  status: AgentStatus;
  /** The newest heartbeat of any of its instances; null when none ever beat. */
  lastHeartbeatAt: Date | null;
  heartbeatIntervalSec: number;
}

/**
 * An agent's health as the dashboard counts it: halted when its directives say stop (a kill
 * switch covers it, or a hard budget that governs it is spent), otherwise from its heartbeats.
 */
export function overviewHealth(agent: OverviewAgent, context: { switches: readonly ActiveSwitch[]; exhaustedBudgets: readonly BudgetTarget[]; now: Date }): AgentHealth {
  const halted = switchFor(context.switches, { agentId: agent.id, teamId: agent.teamId, tags: agent.tags }) !== null || context.exhaustedBudgets.some((budget) => appliesTo(budget, agent));
  return agentHealth({
    lastHeartbeats: agent.lastHeartbeatAt ? [agent.lastHeartbeatAt] : [],
    heartbeatIntervalSec: agent.heartbeatIntervalSec,
    halted,
    now: context.now,
  });
}

export interface AgentCounts {
  /** Every agent not archived: registered plus discovered. */
  total: number;
  active: number;
  discovered: number;
  archived: number;
  /** Health of the agents not archived (an archived agent is retired, not unwell). */
  health: Record<AgentHealth, number>;
}

export function countAgents(agents: readonly { status: AgentStatus; health: AgentHealth }[]): AgentCounts {
  const counts: AgentCounts = { total: 0, active: 0, discovered: 0, archived: 0, health: { healthy: 0, stale: 0, halted: 0, unknown: 0 } };
  for (const agent of agents) {
    counts[agent.status] += 1;
    if (agent.status === "archived") continue;
    counts.total += 1;
    counts.health[agent.health] += 1;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Spend this month

export type SpendStatus = "no_budget" | "on_track" | "at_risk" | "over_forecast" | "exceeded";

export interface SpendHeadline {
  /** The current UTC month: first day (inclusive) and the next month's first day (exclusive), "YYYY-MM-DD". */
  monthStart: string;
  monthEnd: string;
  monthToDateMicros: bigint;
  /** Linear run-rate forecast of the whole month (the budgets' own forecast). */
  forecastMicros: bigint;
  limitMicros: bigint | null;
  /** Percent of the limit spent and forecast (one decimal); null without a budget. */
  spentPercent: number | null;
  forecastPercent: number | null;
  status: SpendStatus;
}

/** Forecasts within this share of the limit are "at risk": close enough that a busy week tips them over. */
const AT_RISK_PERCENT = 90;

/**
 * Month to date from daily spend rows (UTC days, as SpendDaily keeps them), the month-end
 * forecast, and where that leaves the budget (`limitMicros`, or null when there is none).
 */
export function spendHeadline(rows: readonly { day: string; costMicros: bigint }[], limitMicros: bigint | null, now: Date): SpendHeadline {
  const month = periodBounds("monthly", now);
  const monthStart = utcDay(month.start);
  const monthEnd = utcDay(month.end);
  let spent = 0n;
  for (const row of rows) if (row.day >= monthStart && row.day < monthEnd) spent += row.costMicros;
  const forecast = forecastAtPeriodEnd(spent, month, now);
  const headline = { monthStart, monthEnd, monthToDateMicros: spent, forecastMicros: forecast, limitMicros };
  if (limitMicros === null) return { ...headline, spentPercent: null, forecastPercent: null, status: "no_budget" };
  const spentPercent = percentUsed(limitMicros, spent);
  const forecastPercent = percentUsed(limitMicros, forecast);
  const status: SpendStatus = spent >= limitMicros && spent > 0n ? "exceeded" : forecast > limitMicros ? "over_forecast" : forecastPercent >= AT_RISK_PERCENT ? "at_risk" : "on_track";
  return { ...headline, spentPercent, forecastPercent, status };
}

export interface MonthlyBudgetRef {
  scope: "org" | "team" | "agent";
  period: "daily" | "monthly";
  teamId: string | null;
  teamName: string | null;
  limitMicros: bigint;
}

/**
 * The monthly budget the dashboard measures spend against: the org's for an org-wide viewer; for
 * a team lead, their teams' monthly budgets added up (the org's would compare a part with the
 * whole). Null when there is none.
 */
export function referenceBudget(budgets: readonly MonthlyBudgetRef[], reach: { kind: "org" } | { kind: "teams"; teamIds: readonly string[] }): { limitMicros: bigint; label: string } | null {
  const monthly = budgets.filter((budget) => budget.period === "monthly");
  if (reach.kind === "org") {
    const org = monthly.find((budget) => budget.scope === "org");
    return org ? { limitMicros: org.limitMicros, label: "Organisation monthly budget" } : null;
  }
  const teams = monthly.filter((budget) => budget.scope === "team" && budget.teamId !== null && reach.teamIds.includes(budget.teamId));
  if (teams.length === 0) return null;
  const names = teams.map((budget) => budget.teamName ?? "(team)").sort((a, b) => a.localeCompare(b));
  return {
    limitMicros: teams.reduce((sum, budget) => sum + budget.limitMicros, 0n),
    label: teams.length === 1 ? `${names[0] ?? "Team"} monthly budget` : `Monthly budgets of ${names.join(", ")}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The last 24 hours against the 24 before

export interface ActivityTotals {
  events: number;
  llmCalls: number;
  toolCalls: number;
  errors: number;
}

export interface ActivityComparison {
  /** LLM calls plus tool calls. */
  calls: number;
  previousCalls: number;
  /** Percent change of calls (rounded); null when there were none before. */
  callsChangePercent: number | null;
  /** Errors per reported event, as a percent with two decimals; null without events. */
  errorRatePercent: number | null;
  previousErrorRatePercent: number | null;
  /** The change in percentage points; null when either side has no events. */
  errorRateChangePoints: number | null;
}

function errorRate(totals: ActivityTotals): number | null {
  if (totals.events <= 0) return null;
  return Math.round((totals.errors / totals.events) * 10_000) / 100;
}

export function compareActivity(current: ActivityTotals, previous: ActivityTotals): ActivityComparison {
  const calls = current.llmCalls + current.toolCalls;
  const previousCalls = previous.llmCalls + previous.toolCalls;
  const rate = errorRate(current);
  const previousRate = errorRate(previous);
  return {
    calls,
    previousCalls,
    callsChangePercent: previousCalls === 0 ? null : Math.round(((calls - previousCalls) / previousCalls) * 100),
    errorRatePercent: rate,
    previousErrorRatePercent: previousRate,
    errorRateChangePoints: rate === null || previousRate === null ? null : Math.round((rate - previousRate) * 100) / 100,
  };
}

/**
 * The two windows, on whole UTC hours (the rollups' grain): the current hour and the 23 before
 * it, and the 24 hours before those.
 */
export function activityWindows(now: Date): { previousStart: Date; currentStart: Date; end: Date } {
  const hour = new Date(now.getTime());
  hour.setUTCMinutes(0, 0, 0);
  const HOUR = 3_600_000;
  return {
    previousStart: new Date(hour.getTime() - 47 * HOUR),
    currentStart: new Date(hour.getTime() - 23 * HOUR),
    end: new Date(hour.getTime() + HOUR),
  };
}

// ---------------------------------------------------------------------------------------------
// Incidents

export type Tone = "good" | "warn" | "bad";

export interface IncidentCounts {
  killSwitches: number;
  openAlerts: number;
  criticalAlerts: number;
  pendingApprovals: number;
}

/**
 * Open incidents in one number and one tone: red while anything is stopped by a kill switch or a
 * critical alert is open, amber while alerts or approvals wait, green when nothing does.
 */
export function incidentSummary(counts: IncidentCounts): { total: number; tone: Tone } {
  const total = counts.killSwitches + counts.openAlerts + counts.pendingApprovals;
  const tone: Tone = counts.killSwitches > 0 || counts.criticalAlerts > 0 ? "bad" : total > 0 ? "warn" : "good";
  return { total, tone };
}

/** The health tile's tone: red when any agent is halted, amber when any has gone quiet, green otherwise. */
export function healthTone(health: Record<AgentHealth, number>): Tone {
  if (health.halted > 0) return "bad";
  if (health.stale > 0) return "warn";
  return "good";
}

// Pure preparation of the Overview page's figures for display. The spend series and the top
// spenders come from the Budgets page's own functions (components/budgets/chart-data.ts), so the
// two pages cannot disagree; this file only chooses their window and words the results.
import { stackedDaily, topSpenders, type AgentInfo, type StackedSeries, type Spender, type TeamInfo } from "@/components/budgets/chart-data";
import type { SpendStatus, Tone } from "@/server/domain/overview/summary";
import type { AgentHealth } from "@/server/domain/telemetry/health";

const DAY_MS = 86_400_000;
export const CHART_DAYS = 30;

export interface SpendInput {
  /** The first day after the window ("YYYY-MM-DD", UTC): tomorrow. */
  until: string;
  monthStart: string;
  daily: readonly { day: string; agentId: string; costMicros: bigint }[];
  agents: readonly AgentInfo[];
  teams: readonly TeamInfo[];
}

/** Daily spend of the last 30 UTC days stacked by team (the biggest six, then "Other"). */
export function teamSpendSeries(spend: SpendInput): StackedSeries & { from: string; totalMicros: bigint } {
  const from = new Date(Date.parse(`${spend.until}T00:00:00Z`) - CHART_DAYS * DAY_MS).toISOString().slice(0, 10);
  const rows = spend.daily.map((row) => ({ ...row, model: "" }));
  const series = stackedDaily(rows, { by: "team", agents: spend.agents, teams: spend.teams, from, until: spend.until, maxSeries: 7 });
  return { ...series, from, totalMicros: series.series.reduce((sum, entry) => sum + entry.totalMicros, 0n) };
}

/** The five agents that spent most this UTC month. */
export function topFive(spend: SpendInput): Spender[] {
  return topSpenders(
    spend.daily.map((row) => ({ ...row, model: "" })),
    spend.agents,
    spend.teams,
    spend.monthStart,
    5,
  );
}

export const SPEND_STATUS: Record<SpendStatus, { label: string; tone: Tone | "neutral" }> = {
  no_budget: { label: "No budget", tone: "neutral" },
  on_track: { label: "On track", tone: "good" },
  at_risk: { label: "At risk", tone: "warn" },
  over_forecast: { label: "Will overrun", tone: "bad" },
  exceeded: { label: "Exceeded", tone: "bad" },
};

/** "+12 %", "−3 %" (with a no-break space before the unit), "no change", or null when there is nothing to compare with. */
export function percentChange(value: number | null): string | null {
  if (value === null) return null;
  if (value === 0) return "no change";
  return `${value > 0 ? "+" : "−"}${Math.abs(value)}\u00a0%`;
}

/** An error rate for display: "1.25 %", or "–" without events. */
export function rateText(percent: number | null): string {
  return percent === null ? "–" : `${percent.toFixed(percent >= 10 || percent === 0 ? 1 : 2)}\u00a0%`;
}

/** Change of the error rate in percentage points: "+0.4 pts", "−1.2 pts", "no change". */
export function pointsChange(points: number | null): string | null {
  if (points === null) return null;
  if (points === 0) return "no change";
  return `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(Math.abs(points) >= 10 ? 1 : 2)}\u00a0pts`;
}

/**
 * Widths (percent, summing to 100) of the health bar's segments, in display order; empty when
 * there are no agents. Every non-zero count gets at least 2 % so that it stays visible.
 */
export function healthSegments(health: Record<AgentHealth, number>): { health: AgentHealth; count: number; width: number }[] {
  const order: AgentHealth[] = ["healthy", "stale", "halted", "unknown"];
  const total = order.reduce((sum, key) => sum + health[key], 0);
  if (total === 0) return [];
  const present = order.filter((key) => health[key] > 0);
  const raw = present.map((key) => Math.max(2, (health[key] / total) * 100));
  const scale = 100 / raw.reduce((sum, width) => sum + width, 0);
  return present.map((key, index) => ({ health: key, count: health[key], width: Math.round((raw[index] ?? 0) * scale * 10) / 10 }));
}

/** "1 agent", "3 agents". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

// Pure data preparation for the Budgets page's charts (the chart components only draw). Money
// stays bigint micro-dollars until the last step, where a chart needs plain numbers; those are
// still micro-dollars (exact below 2^53, i.e. $9 billion) and are formatted with formatMicroUsd.
import { forecastAtPeriodEnd } from "@/server/domain/budget/arithmetic";
import { periodBounds } from "@/server/domain/budget/period";

export interface DailyRow {
  day: string;
  agentId: string;
  model: string;
  costMicros: bigint;
}
export interface AgentInfo {
  id: string;
  name: string;
  teamId: string | null;
}
export interface TeamInfo {
  id: string;
  name: string;
}

const DAY_MS = 86_400_000;

/** The UTC days from `from` (inclusive) to `until` (exclusive), as "YYYY-MM-DD". */
export function dayRange(from: string, until: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${until}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export type StackBy = "team" | "agent" | "model";

export interface StackedSeries {
  /** One point per day: `day` plus one value (micro-dollars) per series key. */
  data: ({ day: string } & Record<string, number | string>)[];
  series: { key: string; label: string; totalMicros: bigint }[];
}

/**
 * Daily spend stacked by team, agent or model over the days [from, until): the `maxSeries` − 1
 * biggest spenders by name, the rest together as "Other". Days without spend are zeros.
 */
export function stackedDaily(rows: readonly DailyRow[], options: { by: StackBy; agents: readonly AgentInfo[]; teams: readonly TeamInfo[]; from: string; until: string; maxSeries?: number }): StackedSeries {
  const days = dayRange(options.from, options.until);
  const inRange = new Set(days);
  const agents = new Map(options.agents.map((agent) => [agent.id, agent]));
  const teams = new Map(options.teams.map((team) => [team.id, team.name]));
  const labelOf = (row: DailyRow): string => {
    if (options.by === "model") return row.model === "" ? "(no model)" : row.model;
    const agent = agents.get(row.agentId);
    if (options.by === "agent") return agent?.name ?? "(unknown agent)";
    return agent?.teamId ? (teams.get(agent.teamId) ?? "(other team)") : "(no team)";
  };

  const totals = new Map<string, bigint>();
  const cells = new Map<string, bigint>();
  for (const row of rows) {
    if (!inRange.has(row.day)) continue;
    const label = labelOf(row);
    totals.set(label, (totals.get(label) ?? 0n) + row.costMicros);
    const key = `${row.day}\u0000${label}`;
    cells.set(key, (cells.get(key) ?? 0n) + row.costMicros);
  }
  const ranked = [...totals.entries()].sort(([la, a], [lb, b]) => (a > b ? -1 : a < b ? 1 : la.localeCompare(lb)));
  const max = options.maxSeries ?? 6;
  const shown = ranked.length > max ? ranked.slice(0, max - 1) : ranked;
  const rest = ranked.length > max ? ranked.slice(max - 1) : [];
  const series = shown.map(([label, total], index) => ({ key: `s${index}`, label, totalMicros: total }));
  const keyOf = new Map(series.map((entry) => [entry.label, entry.key]));
  if (rest.length > 0) {
    series.push({ key: "other", label: `Other (${rest.length})`, totalMicros: rest.reduce((sum, [, total]) => sum + total, 0n) });
    for (const [label] of rest) keyOf.set(label, "other");
  }

  const data = days.map((day) => {
    const point: { day: string } & Record<string, number | string> = { day };
    const sums = new Map<string, bigint>();
    for (const [label] of ranked) {
      const key = keyOf.get(label);
      if (!key) continue;
      sums.set(key, (sums.get(key) ?? 0n) + (cells.get(`${day}\u0000${label}`) ?? 0n));
    }
    for (const entry of series) point[entry.key] = Number(sums.get(entry.key) ?? 0n);
    return point;
  });
  return { data, series };
}

export interface BudgetScopeRef {
  scope: "org" | "team" | "agent";
  teamId: string | null;
  agentId: string | null;
  limitMicros: bigint;
}

export interface BurnPoint {
  day: string;
  /** Cumulative spend to the end of the day (micro-dollars); null after today. */
  actual: number | null;
  /** The linear forecast from today to month end; null before today. */
  forecast: number | null;
  limit: number;
}

/**
 * Month to date against a monthly budget: cumulative spend per UTC day of the current month,
 * the budget line, and the run-rate forecast from today to the month's end.
 */
export function monthToDate(rows: readonly DailyRow[], budget: BudgetScopeRef, agents: readonly AgentInfo[], now: Date): { points: BurnPoint[]; spentMicros: bigint; forecastMicros: bigint } {
  const month = periodBounds("monthly", now);
  const days = dayRange(month.start.toISOString().slice(0, 10), month.end.toISOString().slice(0, 10));
  const today = now.toISOString().slice(0, 10);
  const teamOf = new Map(agents.map((agent) => [agent.id, agent.teamId]));
  const counts = (row: DailyRow) => budget.scope === "org" || (budget.scope === "agent" && row.agentId === budget.agentId) || (budget.scope === "team" && teamOf.get(row.agentId) === budget.teamId);

  const perDay = new Map<string, bigint>();
  for (const row of rows) if (counts(row)) perDay.set(row.day, (perDay.get(row.day) ?? 0n) + row.costMicros);
  let cumulative = 0n;
  let spent = 0n;
  for (const day of days) if (day <= today) spent += perDay.get(day) ?? 0n;
  const forecast = forecastAtPeriodEnd(spent, month, now);
  const elapsed = BigInt(Math.max(now.getTime() - month.start.getTime(), 1));

  const points = days.map((day): BurnPoint => {
    if (day <= today) cumulative += perDay.get(day) ?? 0n;
    const endOfDay = BigInt(Date.parse(`${day}T00:00:00Z`) + DAY_MS - month.start.getTime());
    const projected = (spent * endOfDay + elapsed / 2n) / elapsed;
    return {
      day,
      actual: day <= today ? Number(cumulative) : null,
      forecast: day === today ? Number(spent) : day > today ? Number(projected < forecast ? projected : forecast) : null,
      limit: Number(budget.limitMicros),
    };
  });
  return { points, spentMicros: spent, forecastMicros: forecast };
}

export interface Spender {
  agentId: string;
  name: string;
  teamName: string | null;
  costMicros: bigint;
  /** Share of everyone's spend in the window, in tenths of a percent. */
  sharePermille: number;
}

/** The agents that spent most from `since` (a "YYYY-MM-DD" day, inclusive). */
export function topSpenders(rows: readonly DailyRow[], agents: readonly AgentInfo[], teams: readonly TeamInfo[], since: string, limit = 10): Spender[] {
  const byAgent = new Map<string, bigint>();
  let total = 0n;
  for (const row of rows) {
    if (row.day < since) continue;
    byAgent.set(row.agentId, (byAgent.get(row.agentId) ?? 0n) + row.costMicros);
    total += row.costMicros;
  }
  const names = new Map(agents.map((agent) => [agent.id, agent]));
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));
  return [...byAgent.entries()]
    .filter(([, cost]) => cost > 0n)
    .sort(([a, x], [b, y]) => (x > y ? -1 : x < y ? 1 : a.localeCompare(b)))
    .slice(0, limit)
    .map(([agentId, cost]) => {
      const agent = names.get(agentId);
      return {
        agentId,
        name: agent?.name ?? "(unknown agent)",
        teamName: agent?.teamId ? (teamNames.get(agent.teamId) ?? null) : null,
        costMicros: cost,
        sharePermille: total === 0n ? 0 : Number((cost * 1000n) / total),
      };
    });
}

export interface TaskCostInput {
  agentId: string;
  tasks: number;
  averageMicros: bigint;
  p50Micros: bigint;
  p90Micros: bigint;
  maxMicros: bigint;
}

/** Cost per task per agent for a bar chart: the agents with the dearest average task first. */
export function taskCostBars(tasks: readonly TaskCostInput[], agents: readonly AgentInfo[], limit = 10) {
  const names = new Map(agents.map((agent) => [agent.id, agent.name]));
  return [...tasks]
    .sort((a, b) => (a.averageMicros > b.averageMicros ? -1 : a.averageMicros < b.averageMicros ? 1 : a.agentId.localeCompare(b.agentId)))
    .slice(0, limit)
    .map((task) => ({
      agent: names.get(task.agentId) ?? "(unknown agent)",
      tasks: task.tasks,
      average: Number(task.averageMicros),
      p50: Number(task.p50Micros),
      p90: Number(task.p90Micros),
      max: Number(task.maxMicros),
    }));
}

/** Which allocations a team lead has left: the team's budget of a period minus its agents' budgets of that period. */
export function availableToAllocate(
  budgets: readonly { scope: string; teamId: string | null; period: string; limitMicros: bigint; id: string }[],
  teamId: string,
  period: string,
  excludeBudgetId: string | null = null,
): { teamLimitMicros: bigint; availableMicros: bigint } | null {
  const team = budgets.find((budget) => budget.scope === "team" && budget.teamId === teamId && budget.period === period);
  if (!team) return null;
  const allocated = budgets
    .filter((budget) => budget.scope === "agent" && budget.teamId === teamId && budget.period === period && budget.id !== excludeBudgetId)
    .reduce((sum, budget) => sum + budget.limitMicros, 0n);
  const available = team.limitMicros - allocated;
  return { teamLimitMicros: team.limitMicros, availableMicros: available > 0n ? available : 0n };
}

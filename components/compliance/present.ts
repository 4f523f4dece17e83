// How compliance and observability read in the console: status tones, the matrix's filters and
// order, clocks in words, the anomalies' statistics named, and chart rows. Pure, unit-tested.
import { clockState, formatDuration, type ClockState } from "@/server/domain/compliance/incident-clock";
import { STATUS_LABELS, type ControlStatus } from "@/server/domain/compliance/status";

export type Tone = "neutral" | "good" | "warn" | "bad" | "info";

/** The Compliance page's tabs (?tab=); the evidence pack is for those who may read the audit trail. */
export const COMPLIANCE_TABS = [
  { id: "coverage", label: "Coverage" },
  { id: "incidents", label: "Incidents" },
  { id: "anomalies", label: "Anomalies" },
  { id: "evidence", label: "Evidence pack" },
] as const;
export type ComplianceTabId = (typeof COMPLIANCE_TABS)[number]["id"];

export function complianceTabsFor(canExport: boolean) {
  return COMPLIANCE_TABS.filter((tab) => tab.id !== "evidence" || canExport);
}

/** The tab the URL asks for, if the viewer has it; the coverage matrix otherwise. */
export function complianceTabOf(requested: string | null, canExport: boolean): ComplianceTabId {
  return complianceTabsFor(canExport).find((tab) => tab.id === requested)?.id ?? "coverage";
}

export const STATUS_TONE: Record<ControlStatus | "partial", Tone> = { met: "good", gap: "bad", partial: "warn", not_assessed: "neutral", not_applicable: "neutral" };
/** A symbol per status, so a cell does not rely on colour alone. */
export const STATUS_MARK: Record<ControlStatus, string> = { met: "✓", gap: "✗", not_assessed: "?", not_applicable: "·" };

export function statusLabel(status: ControlStatus | "partial"): string {
  return STATUS_LABELS[status];
}

export interface MatrixFilters {
  framework: string;
  riskClass: string;
  search: string;
  onlyGaps: boolean;
  sort: "gaps" | "name" | "risk";
}

export const NO_FILTERS: MatrixFilters = { framework: "", riskClass: "", search: "", onlyGaps: false, sort: "gaps" };

const RISK_ORDER: Record<string, number> = { prohibited: 0, high: 1, limited: 2, minimal: 3 };

interface MatrixShape {
  controls: { id: string; framework: string }[];
  agents: { name: string; riskClass: string | null; statuses: ControlStatus[] }[];
}

/**
 * The matrix as filtered: controls of one framework (or all), agents of one risk class
 * ("unclassified" for none), by name, and only those with a gap; statuses cut to the shown controls.
 */
export function filterMatrix<M extends MatrixShape>(matrix: M, filters: MatrixFilters): { controls: M["controls"]; agents: (M["agents"][number] & { gapsShown: number })[] } {
  const columns = matrix.controls.map((control, index) => ({ control, index })).filter(({ control }) => !filters.framework || control.framework === filters.framework);
  const search = filters.search.trim().toLowerCase();
  const agents = matrix.agents
    .filter((agent) => !filters.riskClass || (filters.riskClass === "unclassified" ? agent.riskClass === null : agent.riskClass === filters.riskClass))
    .filter((agent) => !search || agent.name.toLowerCase().includes(search))
    .map((agent) => {
      const statuses = columns.map(({ index }) => agent.statuses[index] as ControlStatus);
      return { ...agent, statuses, gapsShown: statuses.filter((status) => status === "gap").length };
    })
    .filter((agent) => !filters.onlyGaps || agent.gapsShown > 0)
    .sort((a, b) => {
      if (filters.sort === "name") return a.name.localeCompare(b.name);
      if (filters.sort === "risk") return (RISK_ORDER[a.riskClass ?? ""] ?? 4) - (RISK_ORDER[b.riskClass ?? ""] ?? 4) || b.gapsShown - a.gapsShown || a.name.localeCompare(b.name);
      return b.gapsShown - a.gapsShown || a.name.localeCompare(b.name);
    });
  return { controls: columns.map(({ control }) => control) as M["controls"], agents };
}

/** An incident's clock in words, and its tone. */
export function clockText(clock: ClockState): { text: string; tone: Tone } {
  switch (clock.state) {
    case "none":
      return { text: "No reporting clock (not a serious incident)", tone: "neutral" };
    case "running":
      return { text: `${formatDuration(clock.remainingMs)} left to report`, tone: clock.remainingMs < 86_400_000 ? "bad" : "warn" };
    case "overdue":
      return { text: `Report overdue by ${formatDuration(clock.overdueMs)}`, tone: "bad" };
    case "reported_on_time":
      return { text: `Reported on time (${formatDuration(clock.marginMs)} to spare)`, tone: "good" };
    case "reported_late":
      return { text: `Reported ${formatDuration(clock.lateMs)} late`, tone: "bad" };
  }
}

/** The clock at `now` from the deadline and report date (the countdown ticks in the browser). */
export function liveClock(incident: { deadlineAt: Date | string | null; reportedAt: Date | string | null }, now: Date): ClockState {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return clockState(date(incident.deadlineAt), date(incident.reportedAt), now);
}

export const STATISTIC_NAMES: Record<string, string> = {
  robust_z: "robust z-score (median and MAD of the agent's working hours in the previous 7 days)",
  jensen_shannon_distance: "Jensen–Shannon distance (this week's tool mix against the 3 weeks before)",
};

export const METRIC_NAMES: Record<string, string> = { cost: "Cost spike", error_rate: "Error-rate spike", tool_mix: "Tool-usage drift" };

/** What an anomaly saw, in words: "$5.00 in the hour (usual $0.15)", "50.0 % errors (usual 2.0 %)". */
export function anomalyFigures(anomaly: { metric: string; observed: string | null; baseline: string | null; score: number }): string {
  const usd = (micros: string | null) => `$${(Number(micros ?? 0) / 1e6).toFixed(2)}`;
  const pct = (rate: string | null) => `${(Number(rate ?? 0) * 100).toFixed(1)} %`;
  switch (anomaly.metric) {
    case "cost":
      return `${usd(anomaly.observed)} in the hour (usual ${usd(anomaly.baseline)})`;
    case "error_rate":
      return `${pct(anomaly.observed)} errors in the hour (usual ${pct(anomaly.baseline)})`;
    default:
      return `distance ${anomaly.score.toFixed(2)} (0 = same mix, 1 = nothing in common)`;
  }
}

export function scoreText(score: number): string {
  return score >= 1e9 ? "∞" : score.toFixed(1);
}

/** The Events page filtered to the agent and the hour (or week, for a drift) behind an anomaly. */
export function anomalyEventsHref(slug: string, anomaly: { agent: { id: string }; hour: Date | string; metric: string }): string {
  const from = new Date(anomaly.hour);
  const to = new Date(from.getTime() + (anomaly.metric === "tool_mix" ? 7 * 86_400_000 : 3_600_000));
  const params = new URLSearchParams({ agentId: anomaly.agent.id, from: from.toISOString(), to: to.toISOString() });
  if (anomaly.metric === "tool_mix") params.set("type", "tool_call");
  if (anomaly.metric === "error_rate") params.set("type", "error");
  return `/${slug}/events?${params.toString()}`;
}

export interface MetricPoint {
  at: Date | string;
  calls: number;
  costMicros: string;
  errorRatePercent: number | null;
  p95Ms: number | null;
}

/** Chart rows: a label in the viewer's zone, cost as a number of micro-dollars, rates as given. */
export function metricRows(series: readonly MetricPoint[], bucketHours: number, timeZone?: string): { label: string; cost: number; calls: number; errorRate: number | null; p95: number | null }[] {
  const format = new Intl.DateTimeFormat("en-GB", bucketHours >= 24 ? { day: "numeric", month: "short", timeZone } : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone });
  return series.map((point) => ({ label: format.format(new Date(point.at)), cost: Number(point.costMicros), calls: point.calls, errorRate: point.errorRatePercent, p95: point.p95Ms }));
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "–";
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

export function formatTokens(value: string): string {
  const n = Number(value);
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return new Intl.NumberFormat("en-US").format(n);
}

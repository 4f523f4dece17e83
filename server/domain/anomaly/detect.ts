// Anomaly rules over an agent's hourly rollups: pure, so the thresholds can be tested on worked
// examples. A spike is judged against the agent's own rolling baseline (the hours before it), a
// drift against the agent's own previous weeks.
import { jensenShannonDistance, robustZ } from "./stats";

/** A robust z-score at or above this is a spike (Iglewicz and Hoaglin suggest 3.5). */
export const Z_THRESHOLD = 3.5;
/** Baseline hours looked at before the hour judged (7 days). */
export const BASELINE_HOURS = 7 * 24;
/** Fewer active baseline hours than this: too little history to judge. */
export const MIN_BASELINE_HOURS = 24;
/** A cost spike must also exceed the baseline median by this much (micro-dollars): $0.50. */
export const MIN_COST_EXCESS_MICROS = 500_000;
/**
 * An error-rate spike needs this many events and errors in the hour, and a rate at least this many
 * points above the median: with a handful of events, one error is a big rate but no evidence.
 */
export const MIN_EVENTS_FOR_ERROR_RATE = 30;
export const MIN_ERRORS_FOR_ERROR_RATE = 5;
export const MIN_ERROR_RATE_EXCESS = 0.15;
/** Jensen–Shannon distance of this week's tool mix from the previous weeks' at or above which the mix drifted. */
export const DRIFT_THRESHOLD = 0.3;
export const MIN_TOOL_CALLS_FOR_DRIFT = 50;

export interface HourTotals {
  hour: Date;
  events: number;
  errors: number;
  costMicros: bigint;
}

export interface Spike {
  metric: "cost" | "error_rate";
  hour: Date;
  statistic: "robust_z";
  score: number;
  /** Micro-dollars for cost, a fraction for the error rate. */
  observed: number;
  baselineMedian: number;
  baselineMad: number;
  baselineHours: number;
  events: number;
}

/**
 * The spikes in `hour` against the active hours (with events) among the `BASELINE_HOURS` before
 * it. Idle hours are left out: an agent that works a few hours a week would otherwise have a
 * baseline of zero, and every working hour would look like a spike.
 */
export function detectSpikes(history: readonly HourTotals[], hour: Date): Spike[] {
  const judged = history.find((item) => item.hour.getTime() === hour.getTime());
  if (!judged || judged.events === 0) return [];
  const start = hour.getTime() - BASELINE_HOURS * 3_600_000;
  const before = history.filter((item) => item.hour.getTime() >= start && item.hour.getTime() < hour.getTime() && item.events > 0);
  if (before.length < MIN_BASELINE_HOURS) return [];
  const spikes: Spike[] = [];

  const observedCost = Number(judged.costMicros);
  const cost = robustZ(
    observedCost,
    before.map((item) => Number(item.costMicros)),
  );
  if (cost.z >= Z_THRESHOLD && observedCost - cost.median >= MIN_COST_EXCESS_MICROS) {
    spikes.push({ metric: "cost", hour, statistic: "robust_z", score: cost.z, observed: observedCost, baselineMedian: cost.median, baselineMad: cost.mad, baselineHours: before.length, events: judged.events });
  }

  if (judged.events >= MIN_EVENTS_FOR_ERROR_RATE && judged.errors >= MIN_ERRORS_FOR_ERROR_RATE) {
    const rates = before.map((item) => item.errors / item.events);
    const observedRate = judged.errors / judged.events;
    const rate = robustZ(observedRate, rates);
    if (rate.z >= Z_THRESHOLD && observedRate - rate.median >= MIN_ERROR_RATE_EXCESS) {
      spikes.push({
        metric: "error_rate",
        hour,
        statistic: "robust_z",
        score: rate.z,
        observed: observedRate,
        baselineMedian: rate.median,
        baselineMad: rate.mad,
        baselineHours: before.length,
        events: judged.events,
      });
    }
  }
  return spikes;
}

export interface Drift {
  metric: "tool_mix";
  statistic: "jensen_shannon_distance";
  score: number;
  current: Record<string, number>;
  previous: Record<string, number>;
}

/** Whether this week's tool mix drifted from the previous weeks' (counts per tool). */
export function detectDrift(current: Readonly<Record<string, number>>, previous: Readonly<Record<string, number>>): Drift | null {
  const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
  if (total(current) < MIN_TOOL_CALLS_FOR_DRIFT || total(previous) < MIN_TOOL_CALLS_FOR_DRIFT) return null;
  const score = jensenShannonDistance(current, previous);
  if (score < DRIFT_THRESHOLD) return null;
  return { metric: "tool_mix", statistic: "jensen_shannon_distance", score, current: { ...current }, previous: { ...previous } };
}

export interface ToolCallDelta {
  orgId: string;
  agentId: string;
  tool: string;
  hour: Date;
  calls: number;
}

/** For one ingest batch: tool_call events per (agent, tool, hour), for the tool-call rollup. */
export function toolCallDeltas(events: readonly { orgId: string; agentId: string; type: string; tool: string | null; ts: Date }[]): ToolCallDelta[] {
  const deltas = new Map<string, ToolCallDelta>();
  for (const event of events) {
    if (event.type !== "tool_call" || !event.tool) continue;
    const hour = new Date(Math.floor(event.ts.getTime() / 3_600_000) * 3_600_000);
    const key = `${event.agentId}\u0000${event.tool}\u0000${hour.getTime()}`;
    const delta = deltas.get(key);
    if (delta) delta.calls += 1;
    else deltas.set(key, { orgId: event.orgId, agentId: event.agentId, tool: event.tool, hour, calls: 1 });
  }
  return [...deltas.values()];
}

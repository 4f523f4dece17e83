// Per-agent metrics from the hourly rollups (never the events): calls, tokens, cost, error rate,
// latency p50/p95 and cost per task over a window, and a series for the chart.
import type { MetricWindow } from "../domain/compliance/schemas";
import { histogramQuantile, mergeHistograms } from "../domain/telemetry/latency-histogram";
import { sqlRows, type SqlClient } from "../db/sql";
import type { DbOrTx } from "../db";
import type { AuthorizedOrg } from "../auth/access";
import { findAgentInReach } from "./agents";

const HOUR_MS = 3_600_000;
export const WINDOW_HOURS: Record<MetricWindow, number> = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24 };
/** Buckets of the chart: hours for a day, six hours for a week, days for a month. */
const BUCKET_HOURS: Record<MetricWindow, number> = { "24h": 1, "7d": 6, "30d": 24 };

/** One agent's figures over `window`; the agent must be in the caller's reach. */
export async function agentMetrics(db: DbOrTx, access: AuthorizedOrg, agentId: string, window: MetricWindow, now: Date) {
  await findAgentInReach(db, access, agentId);
  const orgId = access.orgId;
  const bucketHours = BUCKET_HOURS[window];
  const end = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const start = new Date(end.getTime() - WINDOW_HOURS[window] * HOUR_MS);
  const rows = await sqlRows<{
    bucket: Date;
    events: number;
    llm_calls: number;
    tool_calls: number;
    errors: number;
    input_tokens: string;
    output_tokens: string;
    cost: string;
    tasks: number;
    failed_tasks: number;
    hists: number[][] | null;
  }>(
    db as SqlClient,
    `SELECT to_timestamp(floor(extract(epoch FROM hour) / $4) * $4) AS bucket,
            sum(events)::int AS events, sum(llm_calls)::int AS llm_calls, sum(tool_calls)::int AS tool_calls, sum(errors)::int AS errors,
            sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens, sum(cost_micros)::text AS cost,
            sum(tasks)::int AS tasks, sum(failed_tasks)::int AS failed_tasks,
            array_agg(array_to_string(latency_hist, ',')) AS hists
       FROM event_rollups_hourly
      WHERE org_id = $1::uuid AND agent_id = $2::uuid AND hour >= $3::timestamptz AND hour < $5::timestamptz
      GROUP BY 1 ORDER BY 1`,
    [orgId, agentId, start.toISOString(), bucketHours * 3600, end.toISOString()],
  );
  const parseHists = (hists: unknown): number[][] => (Array.isArray(hists) ? hists.map((text) => (typeof text === "string" && text ? text.split(",").map(Number) : [])) : []);
  let events = 0,
    llmCalls = 0,
    toolCalls = 0,
    errors = 0,
    tasks = 0,
    failedTasks = 0;
  let inputTokens = 0n,
    outputTokens = 0n,
    cost = 0n;
  const all: number[][] = [];
  const byBucket = new Map<number, (typeof rows)[number]>();
  for (const row of rows) {
    const hists = parseHists(row.hists);
    all.push(...hists);
    events += row.events;
    llmCalls += row.llm_calls;
    toolCalls += row.tool_calls;
    errors += row.errors;
    tasks += row.tasks;
    failedTasks += row.failed_tasks;
    inputTokens += BigInt(row.input_tokens);
    outputTokens += BigInt(row.output_tokens);
    cost += BigInt(row.cost);
    byBucket.set(new Date(row.bucket).getTime(), row);
  }
  // Every bucket of the window, idle ones at zero, so the chart's time axis is even.
  const bucketMs = bucketHours * HOUR_MS;
  const series = [];
  for (let at = Math.floor(start.getTime() / bucketMs) * bucketMs; at < end.getTime(); at += bucketMs) {
    const row = byBucket.get(at);
    series.push({
      at: new Date(at),
      calls: row ? row.llm_calls + row.tool_calls : 0,
      costMicros: row?.cost ?? "0",
      errorRatePercent: row && row.events > 0 ? Math.round((row.errors / row.events) * 1000) / 10 : null,
      p95Ms: row ? histogramQuantile(mergeHistograms(parseHists(row.hists)), 0.95) : null,
    });
  }
  const merged = mergeHistograms(all);
  return {
    window,
    from: start,
    to: end,
    bucketHours,
    totals: {
      events,
      calls: llmCalls + toolCalls,
      llmCalls,
      toolCalls,
      errors,
      errorRatePercent: events > 0 ? Math.round((errors / events) * 1000) / 10 : null,
      inputTokens: inputTokens.toString(),
      outputTokens: outputTokens.toString(),
      costMicros: cost.toString(),
      tasks,
      failedTasks,
      // Rounded half up to the micro-dollar: money stays integer.
      costPerTaskMicros: tasks > 0 ? ((cost * 2n + BigInt(tasks)) / (2n * BigInt(tasks))).toString() : null,
      p50Ms: histogramQuantile(merged, 0.5),
      p95Ms: histogramQuantile(merged, 0.95),
    },
    series,
  };
}

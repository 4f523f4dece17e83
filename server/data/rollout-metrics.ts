// Per-version metrics for the guards and the A/B comparison, read from what ingest and decide
// store. Events name a version by its id or its label, so each version is matched by both.
//   - tasks, failed tasks and latency: the hourly rollups (keyed by version), from the hour the
//     window starts in;
//   - cost per task: events summed by task id (only finished tasks), in a bounded window: the
//     rollups hold sums, not the per-task spread a test needs;
//   - decisions and policy denials: the decisions table, by the deciding instance's version_id;
//   - units (for the sample-ratio check): distinct instances, or tasks without one, in events.
import { mergeHistograms } from "../domain/telemetry/latency-histogram";
import { EMPTY_ARM, type ArmMetrics } from "../domain/rollout/guards";
import { sqlRows, type SqlClient } from "../db/sql";

export interface VersionName {
  id: string;
  label: string;
}

/** Per-task costs are read from events at most this far back (the query's bound). */
export const COST_WINDOW_MAX_MS = 31 * 24 * 60 * 60 * 1000;

/** Reasons that make a denial a policy's (not a kill switch's or a budget's). */
const POLICY_DENIAL_CODES = ["policy_denied", "policy_error", "no_policy"];

function names(version: VersionName): string[] {
  return [version.id, version.label];
}

/**
 * What each of two versions did between `from` and `to`, for the arms `a` and `b`. One query per
 * source; each version is matched by its id and its label.
 */
export async function armMetrics(client: SqlClient, input: { orgId: string; agentId: string; from: Date; to: Date; a: VersionName; b: VersionName }): Promise<{ a: ArmMetrics; b: ArmMetrics }> {
  const aNames = names(input.a);
  const bNames = names(input.b);
  const all = [...aNames, ...bNames];
  const costFrom = new Date(Math.max(input.from.getTime(), input.to.getTime() - COST_WINDOW_MAX_MS));
  // One after another: on one connection (a transaction's client) queries cannot overlap.
  const rollups = await sqlRows<{ arm: string; tasks: number; failed_tasks: number; latency_hist: number[] | null }>(
    client,
    `SELECT CASE WHEN version = ANY($5::text[]) THEN 'a' ELSE 'b' END AS arm, tasks, failed_tasks, latency_hist
         FROM event_rollups_hourly
        WHERE agent_id = $1::uuid AND org_id = $2::uuid AND hour >= date_trunc('hour', $3::timestamptz) AND hour < $4::timestamptz
          AND version = ANY($6::text[])`,
    [input.agentId, input.orgId, input.from, input.to, aNames, all],
  );
  const costs = await sqlRows<{ arm: string; n: number; mean: number | null; variance: number | null }>(
    client,
    `SELECT arm, count(*)::int AS n, avg(cost)::float8 AS mean, COALESCE(var_samp(cost), 0)::float8 AS variance
         FROM (SELECT CASE WHEN version = ANY($5::text[]) THEN 'a' ELSE 'b' END AS arm, task_id, sum(COALESCE(cost_micros, 0)) AS cost
                 FROM events
                WHERE org_id = $2::uuid AND agent_id = $1::uuid AND ts >= $3::timestamptz AND ts < $4::timestamptz
                  AND task_id IS NOT NULL AND version = ANY($6::text[])
                GROUP BY 1, task_id
               HAVING bool_or(type = 'task_end')) AS tasks
        GROUP BY arm`,
    [input.agentId, input.orgId, costFrom, input.to, aNames, all],
  );
  const decisions = await sqlRows<{ arm: string; n: number; denials: number }>(
    client,
    `SELECT CASE WHEN version_id = $5::uuid THEN 'a' ELSE 'b' END AS arm, count(*)::int AS n,
              count(*) FILTER (WHERE decision = 'deny' AND EXISTS (
                SELECT 1 FROM jsonb_array_elements(reasons) AS r WHERE r->>'code' = ANY($7::text[])))::int AS denials
         FROM decisions
        WHERE org_id = $2::uuid AND agent_id = $1::uuid AND at >= $3::timestamptz AND at < $4::timestamptz
          AND version_id IN ($5::uuid, $6::uuid)
        GROUP BY 1`,
    [input.agentId, input.orgId, input.from, input.to, input.a.id, input.b.id, POLICY_DENIAL_CODES],
  );
  const arms = { a: { ...EMPTY_ARM, latencyHist: [] as number[] }, b: { ...EMPTY_ARM, latencyHist: [] as number[] } };
  const histograms: Record<"a" | "b", number[][]> = { a: [], b: [] };
  for (const row of rollups) {
    const arm = row.arm === "a" ? "a" : "b";
    arms[arm].tasks += Number(row.tasks);
    arms[arm].failedTasks += Number(row.failed_tasks);
    if (row.latency_hist) histograms[arm].push(row.latency_hist.map(Number));
  }
  arms.a.latencyHist = mergeHistograms(histograms.a);
  arms.b.latencyHist = mergeHistograms(histograms.b);
  for (const row of costs) {
    const arm = row.arm === "a" ? "a" : "b";
    arms[arm].costTasks = Number(row.n);
    arms[arm].costMeanMicros = Number(row.mean ?? 0);
    arms[arm].costVarianceMicros = Number(row.variance ?? 0);
  }
  for (const row of decisions) {
    const arm = row.arm === "a" ? "a" : "b";
    arms[arm].decisions = Number(row.n);
    arms[arm].policyDenials = Number(row.denials);
  }
  return arms;
}

/**
 * Distinct units (instances, or tasks that report none) seen since `from`, each counted once on the
 * version it reported last (an instance moved to the candidate mid-stage counts there).
 */
export async function unitsByVersion(
  client: SqlClient,
  input: { orgId: string; agentId: string; from: Date; to: Date; candidate: VersionName; stable: VersionName },
): Promise<{ candidate: number; stable: number }> {
  const rows = await sqlRows<{ arm: string; units: number }>(
    client,
    `SELECT arm, count(*)::int AS units
       FROM (SELECT DISTINCT ON (unit) unit, arm
               FROM (SELECT COALESCE('instance:' || instance_id, 'task:' || task_id) AS unit, ts,
                            CASE WHEN version = ANY($5::text[]) THEN 'candidate' ELSE 'stable' END AS arm
                       FROM events
                      WHERE org_id = $2::uuid AND agent_id = $1::uuid AND ts >= $3::timestamptz AND ts < $4::timestamptz
                        AND version = ANY($6::text[]) AND (instance_id IS NOT NULL OR task_id IS NOT NULL)) AS seen
              ORDER BY unit, ts DESC) AS latest
      GROUP BY arm`,
    [input.agentId, input.orgId, input.from, input.to, names(input.candidate), [...names(input.candidate), ...names(input.stable)]],
  );
  return {
    candidate: Number(rows.find((row) => row.arm === "candidate")?.units ?? 0),
    stable: Number(rows.find((row) => row.arm === "stable")?.units ?? 0),
  };
}

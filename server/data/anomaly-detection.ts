// Anomaly detection over the hourly rollups. detectAnomalies is the job (run every few minutes by
// the job queue): idempotent and safe in several processes, because an anomaly is keyed by (agent,
// metric, hour) and only the process whose insert created the row raises its alert, in the same
// transaction. The console's list: server/data/anomalies.ts.
import { getPool, inTransaction } from "../db/pool";
import { BASELINE_HOURS, detectDrift, detectSpikes, type HourTotals } from "../domain/anomaly/detect";
import { raiseAlert } from "./alerts";
import { sqlRows, type SqlClient } from "../db/sql";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Hours judged on each run: the hour under way and the two before (a run may come late). */
const JUDGED_HOURS = 3;

const startOfHour = (time: number) => new Date(Math.floor(time / HOUR_MS) * HOUR_MS);

/** Monday 00:00 UTC of the week `now` falls in: a tool-mix drift is raised at most once a week. */
export function weekStart(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - weekday * DAY_MS);
}

interface StoredAnomaly {
  agentId: string;
  teamId: string | null;
  agentName: string;
  metric: "cost" | "error_rate" | "tool_mix";
  hour: Date;
  statistic: string;
  score: number;
  observed: number | null;
  baseline: number | null;
  details: object;
}

function describe(anomaly: StoredAnomaly): { title: string; severity: "warning" | "critical" } {
  const hour = anomaly.hour.toISOString().slice(0, 13).replace("T", " ") + ":00 UTC";
  switch (anomaly.metric) {
    case "cost":
      return {
        title: `Cost spike: ${anomaly.agentName} spent $${((anomaly.observed ?? 0) / 1e6).toFixed(2)} in the hour from ${hour} (usual $${((anomaly.baseline ?? 0) / 1e6).toFixed(2)})`,
        severity: "critical",
      };
    case "error_rate":
      return {
        title: `Error-rate spike: ${anomaly.agentName} at ${((anomaly.observed ?? 0) * 100).toFixed(1)} % errors in the hour from ${hour} (usual ${((anomaly.baseline ?? 0) * 100).toFixed(1)} %)`,
        severity: "warning",
      };
    case "tool_mix":
      return { title: `Tool-usage drift: ${anomaly.agentName}'s mix of tools this week differs from the weeks before (Jensen–Shannon distance ${anomaly.score.toFixed(2)})`, severity: "warning" };
  }
}

/** Stores the anomaly once; the first insert raises its alert. Returns whether it was new. */
async function store(client: SqlClient, orgId: string, anomaly: StoredAnomaly): Promise<boolean> {
  const rows = await sqlRows<{ id: string; inserted: boolean }>(
    client,
    `INSERT INTO anomalies AS a (org_id, agent_id, team_id, metric, hour, statistic, score, observed, baseline, details)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::timestamptz, $6, $7, $8, $9, $10::jsonb)
     ON CONFLICT (agent_id, metric, hour) DO UPDATE SET
       score = GREATEST(a.score, EXCLUDED.score),
       observed = GREATEST(a.observed, EXCLUDED.observed),
       details = CASE WHEN EXCLUDED.score > a.score THEN EXCLUDED.details ELSE a.details END
     RETURNING id::text, (xmax = 0) AS inserted`,
    [
      orgId,
      anomaly.agentId,
      anomaly.teamId,
      anomaly.metric,
      anomaly.hour.toISOString(),
      anomaly.statistic,
      Number.isFinite(anomaly.score) ? anomaly.score : 1e9,
      anomaly.observed,
      anomaly.baseline,
      JSON.stringify(anomaly.details),
    ],
  );
  const row = rows[0];
  if (!row?.inserted) return false;
  const { title, severity } = describe(anomaly);
  const alertId = await raiseAlert(client, {
    orgId,
    kind: "anomaly",
    severity,
    title,
    details: { anomalyId: row.id, metric: anomaly.metric, hour: anomaly.hour.toISOString(), statistic: anomaly.statistic, score: anomaly.score, observed: anomaly.observed, baseline: anomaly.baseline },
    agentId: anomaly.agentId,
    teamId: anomaly.teamId,
  });
  await sqlRows(client, "UPDATE anomalies SET alert_id = $2::uuid WHERE id = $1::uuid RETURNING 1 AS done", [row.id, alertId]);
  return true;
}

/**
 * Looks for cost and error-rate spikes in the last few hours of every agent of the org (robust
 * z-score against the agent's previous 7 days of hours), and for a drift of each agent's tool mix
 * this week against the three weeks before (Jensen–Shannon distance). Returns how many anomalies
 * were new.
 */
export async function detectAnomalies(orgId: string, now: Date): Promise<{ raised: number; judgedAgents: number }> {
  return inTransaction(getPool(), (client) => detectAnomaliesWith(client, orgId, now));
}

export async function detectAnomaliesWith(client: SqlClient, orgId: string, now: Date): Promise<{ raised: number; judgedAgents: number }> {
  const current = startOfHour(now.getTime());
  const from = new Date(current.getTime() - (BASELINE_HOURS + JUDGED_HOURS) * HOUR_MS);
  const rows = await sqlRows<{ agent_id: string; hour: Date; events: number; errors: number; cost: string }>(
    client,
    `SELECT agent_id::text, hour, sum(events)::int AS events, sum(errors)::int AS errors, sum(cost_micros)::text AS cost
       FROM event_rollups_hourly WHERE org_id = $1::uuid AND hour >= $2::timestamptz AND hour <= $3::timestamptz
      GROUP BY agent_id, hour`,
    [orgId, from.toISOString(), current.toISOString()],
  );
  const agents = await sqlRows<{ id: string; name: string; team_id: string | null }>(client, "SELECT id::text, name, team_id::text FROM agents WHERE org_id = $1::uuid", [orgId]);
  const agentById = new Map(agents.map((agent) => [agent.id, agent]));
  const history = new Map<string, HourTotals[]>();
  for (const row of rows) {
    const list = history.get(row.agent_id) ?? [];
    list.push({ hour: new Date(row.hour), events: row.events, errors: row.errors, costMicros: BigInt(row.cost) });
    history.set(row.agent_id, list);
  }

  let raised = 0;
  for (const [agentId, hours] of history) {
    const agent = agentById.get(agentId);
    if (!agent) continue;
    for (let back = JUDGED_HOURS - 1; back >= 0; back--) {
      const hour = new Date(current.getTime() - back * HOUR_MS);
      for (const spike of detectSpikes(hours, hour)) {
        const isNew = await store(client, orgId, {
          agentId,
          teamId: agent.team_id,
          agentName: agent.name,
          metric: spike.metric,
          hour,
          statistic: spike.statistic,
          score: spike.score,
          observed: spike.observed,
          baseline: spike.baselineMedian,
          details: { baselineMedian: spike.baselineMedian, baselineMad: spike.baselineMad, baselineHours: spike.baselineHours, events: spike.events },
        });
        if (isNew) raised += 1;
      }
    }
  }

  // Tool mix: this week (the last 7 days) against the 21 days before.
  const weekFrom = new Date(now.getTime() - 7 * DAY_MS);
  const mix = await sqlRows<{ agent_id: string; tool: string; current: number; previous: number }>(
    client,
    `SELECT agent_id::text, tool, sum(calls) FILTER (WHERE hour >= $2::timestamptz)::int AS current, sum(calls) FILTER (WHERE hour < $2::timestamptz)::int AS previous
       FROM tool_call_rollups_hourly WHERE org_id = $1::uuid AND hour >= $3::timestamptz AND hour <= $4::timestamptz
      GROUP BY agent_id, tool`,
    [orgId, weekFrom.toISOString(), new Date(weekFrom.getTime() - 21 * DAY_MS).toISOString(), now.toISOString()],
  );
  const mixes = new Map<string, { current: Record<string, number>; previous: Record<string, number> }>();
  for (const row of mix) {
    const entry = mixes.get(row.agent_id) ?? { current: {}, previous: {} };
    entry.current[row.tool] = row.current ?? 0;
    entry.previous[row.tool] = row.previous ?? 0;
    mixes.set(row.agent_id, entry);
  }
  for (const [agentId, { current: thisWeek, previous }] of mixes) {
    const agent = agentById.get(agentId);
    const drift = agent ? detectDrift(thisWeek, previous) : null;
    if (!agent || !drift) continue;
    const isNew = await store(client, orgId, {
      agentId,
      teamId: agent.team_id,
      agentName: agent.name,
      metric: "tool_mix",
      hour: weekStart(now),
      statistic: drift.statistic,
      score: drift.score,
      observed: null,
      baseline: null,
      details: { current: drift.current, previous: drift.previous, windowDays: 7, previousDays: 21 },
    });
    if (isNew) raised += 1;
  }
  return { raised, judgedAgents: history.size };
}

// The figures behind the Budgets page's cost charts: daily spend per agent and model (from the
// hourly rollups, bucketed by UTC day, the budgets' day) and cost per task (events sharing a
// taskId). Team leads see only agents now in their teams.
import type { AuthorizedOrg } from "../auth/access";
import type { DbOrTx } from "../db";
import { reachTeamIds } from "../domain/access/permissions";
import { costPerTask, type AgentTaskCosts } from "../domain/budget/cost-per-task";
import { sqlRows } from "../db/sql";

export interface DailySpendRow {
  day: string;
  agentId: string;
  model: string;
  costMicros: bigint;
}

export interface CostViews {
  from: string;
  until: string;
  daily: DailySpendRow[];
  agents: { id: string; name: string; teamId: string | null }[];
  teams: { id: string; name: string }[];
  tasks: AgentTaskCosts[];
}

const DAY_MS = 86_400_000;

/**
 * The last 30 UTC days (and the whole current month, when it started earlier), up to and
 * including today.
 */
export async function costViews(db: DbOrTx, access: Pick<AuthorizedOrg, "orgId" | "reach">, now: Date): Promise<CostViews> {
  const orgId = access.orgId;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(Math.min(today - 29 * DAY_MS, Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  const until = new Date(today + DAY_MS);
  const teams = reachTeamIds(access.reach);
  const client = db;

  const [daily, agents, teamRows, tasks] = await Promise.all([
    sqlRows<{ day: string; agent_id: string; model: string; cost: string }>(
      client,
      `SELECT to_char(r.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, r.agent_id::text, r.model, SUM(r.cost_micros)::text AS cost
       FROM event_rollups_hourly r JOIN agents a ON a.id = r.agent_id
       WHERE r.org_id = $1::uuid AND r.hour >= $2::timestamptz AND r.hour < $3::timestamptz AND r.cost_micros <> 0
         AND ($4::uuid[] IS NULL OR a.team_id = ANY($4::uuid[]))
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [orgId, from.toISOString(), until.toISOString(), teams],
    ),
    sqlRows<{ id: string; name: string; team_id: string | null }>(
      client,
      `SELECT id::text, name, team_id::text FROM agents WHERE org_id = $1::uuid AND ($2::uuid[] IS NULL OR team_id = ANY($2::uuid[])) ORDER BY name`,
      [orgId, teams],
    ),
    sqlRows<{ id: string; name: string }>(client, `SELECT id::text, name FROM teams WHERE org_id = $1::uuid AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY name`, [orgId, teams]),
    sqlRows<{ agent_id: string; task_id: string; cost: string }>(
      client,
      `SELECT e.agent_id::text, e.task_id, SUM(e.cost_micros)::text AS cost
       FROM events e JOIN agents a ON a.id = e.agent_id
       WHERE e.org_id = $1::uuid AND e.ts >= $2::timestamptz AND e.ts < $3::timestamptz AND e.task_id IS NOT NULL AND e.cost_micros IS NOT NULL
         AND ($4::uuid[] IS NULL OR a.team_id = ANY($4::uuid[]))
       GROUP BY 1, 2
       LIMIT 200000`,
      [orgId, new Date(today - 29 * DAY_MS).toISOString(), until.toISOString(), teams],
    ),
  ]);

  return {
    from: from.toISOString().slice(0, 10),
    until: until.toISOString().slice(0, 10),
    daily: daily.map((row) => ({ day: row.day, agentId: row.agent_id, model: row.model, costMicros: BigInt(row.cost) })),
    agents: agents.map((row) => ({ id: row.id, name: row.name, teamId: row.team_id })),
    teams: teamRows,
    tasks: costPerTask(tasks.map((row) => ({ agentId: row.agent_id, taskId: row.task_id, costMicros: BigInt(row.cost) }))),
  };
}

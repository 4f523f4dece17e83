// The anomalies the console lists (detection: server/data/anomaly-detection.ts), within the
// caller's reach: team leads see their teams' agents' anomalies.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import { sqlRows, type SqlClient } from "../db/sql";
import { findAgentInReach } from "./agents";

export interface AnomalyView {
  id: string;
  agent: { id: string; name: string };
  teamId: string | null;
  metric: string;
  hour: Date;
  statistic: string;
  score: number;
  observed: string | null;
  baseline: string | null;
  details: unknown;
  alertId: string | null;
  incidentId: string | null;
  detectedAt: Date;
}

/** Anomalies the caller can see (team leads: their teams'), newest first; one agent's when named (it must be in reach). */
export async function listAnomalies(db: SqlClient | DbOrTx, access: Pick<AuthorizedOrg, "orgId" | "reach">, filter: { since: Date; agentId?: string; limit?: number }): Promise<AnomalyView[]> {
  if (filter.agentId) await findAgentInReach(db as DbOrTx, access, filter.agentId);
  const rows = await sqlRows<Omit<AnomalyView, "agent"> & { agentId: string; agentName: string }>(
    db as SqlClient,
    `SELECT n.id::text, n.agent_id::text AS "agentId", a.name AS "agentName", n.team_id::text AS "teamId", n.metric, n.hour, n.statistic, n.score,
            n.observed::text, n.baseline::text, n.details, n.alert_id::text AS "alertId", i.id::text AS "incidentId", n.detected_at AS "detectedAt"
       FROM anomalies n JOIN agents a ON a.id = n.agent_id
       LEFT JOIN incidents i ON i.org_id = n.org_id AND i.source = 'anomaly' AND i.source_ref = n.id::text
      WHERE n.org_id = $1::uuid AND n.detected_at >= $2::timestamptz AND ($3::uuid IS NULL OR n.agent_id = $3::uuid)
        AND ($4::uuid[] IS NULL OR n.team_id = ANY($4::uuid[]))
      ORDER BY n.detected_at DESC, n.id
      LIMIT $5`,
    [access.orgId, filter.since.toISOString(), filter.agentId ?? null, access.reach.kind === "teams" ? [...access.reach.teamIds] : null, filter.limit ?? 200],
  );
  return rows.map(({ agentId, agentName, ...row }) => ({
    ...row,
    agent: { id: agentId, name: agentName },
    hour: new Date(row.hour),
    score: Number(row.score),
    detectedAt: new Date(row.detectedAt),
  }));
}

export async function findAnomaly(
  client: SqlClient,
  orgId: AuthorizedOrgId,
  id: string,
): Promise<{ id: string; agentId: string; agentName: string; teamId: string | null; metric: string; hour: Date; score: number } | null> {
  const rows = await sqlRows<{ id: string; agent_id: string; agent_name: string; team_id: string | null; metric: string; hour: Date; score: number }>(
    client,
    "SELECT n.id::text, n.agent_id::text, a.name AS agent_name, n.team_id::text, n.metric, n.hour, n.score FROM anomalies n JOIN agents a ON a.id = n.agent_id WHERE n.org_id = $1::uuid AND n.id = $2::uuid",
    [orgId, id],
  );
  const row = rows[0];
  return row ? { id: row.id, agentId: row.agent_id, agentName: row.agent_name, teamId: row.team_id, metric: row.metric, hour: new Date(row.hour), score: Number(row.score) } : null;
}

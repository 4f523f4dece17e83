// Alerts: stored for the console and queued for the org's webhooks in the caller's transaction, so an
// alert exists exactly when the change that raised it commits. Each delivery is queued with its job
// (webhooks.deliver, server/data/webhook-delivery.ts), which sends it after commit. The console
// lists them within the caller's reach and acknowledges them.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { sqlRows, type SqlClient } from "../db/sql";
import { orgWideOrInReach, type Reach } from "../domain/access/permissions";
import { TEST_ALERT_KIND, type AlertKind, type AlertSeverity } from "../domain/alerts/kinds";
import type { AlertForPayload } from "../domain/alerts/webhook";
import { found, refuse } from "../domain/refusal";
import type { Prisma } from "../generated/prisma/client";
import type { AuditWriter } from "./audit";

export interface RaiseAlertInput {
  orgId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  title: string;
  details: object;
  agentId?: string | null;
  teamId?: string | null;
}

// One statement: the alert, one pending delivery per enabled webhook that wants this kind, and a job per delivery.
const RAISE_SQL = `
WITH alert AS (
  INSERT INTO alerts (org_id, kind, severity, title, details, agent_id, team_id)
  VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::uuid, $7::uuid)
  RETURNING id
), queued AS (
  INSERT INTO webhook_deliveries (org_id, webhook_id, alert_id)
  SELECT $1::uuid, w.id, alert.id
  FROM webhooks w, alert
  WHERE w.org_id = $1::uuid AND w.enabled AND (cardinality(w.kinds) = 0 OR $2 = ANY (w.kinds))
  RETURNING id
), jobs AS (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM queued) THEN (
    SELECT count(*) FROM graphile_worker.add_jobs(
      (SELECT array_agg(ROW('webhooks:deliver', json_build_object('deliveryId', q.id), NULL, now(), NULL, NULL, NULL, NULL)::graphile_worker.job_spec) FROM queued q))
  ) ELSE 0 END AS queued
)
SELECT alert.id::text AS id, jobs.queued FROM alert, jobs`;

/** Stores the alert and queues its webhook deliveries in the caller's transaction. Returns the alert id. */
export async function raiseAlert(client: SqlClient, input: RaiseAlertInput): Promise<string> {
  const rows = await sqlRows<{ id: string }>(client, RAISE_SQL, [input.orgId, input.kind, input.severity, input.title, JSON.stringify(input.details), input.agentId ?? null, input.teamId ?? null]);
  const id = rows[0]?.id;
  if (!id) throw new Error("raiseAlert: the alert was not stored");
  return id;
}

// Who sees which alerts (dashboard:read): owners, admins, compliance and viewers see all of the
// org's; a team lead sees the alerts of their teams plus org-wide alerts that belong to no team
// (e.g. the org budget, an org-wide kill switch, an unassigned agent's loop).

export interface AlertView extends Omit<AlertForPayload, "orgId"> {
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

function visibleWhere(orgId: AuthorizedOrgId, reach: Reach): Prisma.AlertWhereInput {
  return {
    orgId,
    kind: { not: TEST_ALERT_KIND },
    ...(reach.kind === "teams" ? { OR: [{ teamId: { in: [...reach.teamIds] } }, { teamId: null }] } : {}),
  };
}

export async function listAlerts(
  db: DbOrTx,
  orgId: AuthorizedOrgId,
  reach: Reach,
  filter: { status: "open" | "all"; kind?: string; limit: number; cursor?: string },
): Promise<{ items: AlertView[]; nextCursor: string | null }> {
  const rows = await db.alert.findMany({
    where: {
      AND: [visibleWhere(orgId, reach), filter.status === "open" ? { acknowledgedAt: null } : {}, filter.kind ? { kind: filter.kind } : {}],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, filter.limit);
  const agentIds = [...new Set(page.flatMap((row) => (row.agentId ? [row.agentId] : [])))];
  const teamIds = [...new Set(page.flatMap((row) => (row.teamId ? [row.teamId] : [])))];
  const [agents, teams] = await Promise.all([
    agentIds.length ? db.agent.findMany({ where: { orgId, id: { in: agentIds } }, select: { id: true, name: true } }) : [],
    teamIds.length ? db.team.findMany({ where: { orgId, id: { in: teamIds } }, select: { id: true, name: true } }) : [],
  ]);
  const agentName = new Map(agents.map((agent) => [agent.id, agent.name]));
  const teamName = new Map(teams.map((team) => [team.id, team.name]));
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      severity: row.severity,
      title: row.title,
      details: row.details,
      agentId: row.agentId,
      agentName: row.agentId ? (agentName.get(row.agentId) ?? null) : null,
      teamId: row.teamId,
      teamName: row.teamId ? (teamName.get(row.teamId) ?? null) : null,
      createdAt: row.createdAt,
      acknowledgedAt: row.acknowledgedAt,
      acknowledgedBy: row.acknowledgedBy,
    })),
    nextCursor: rows.length > filter.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Unacknowledged alerts the caller can see (the nav's badge). */
export function openAlertCount(db: DbOrTx, orgId: AuthorizedOrgId, reach: Reach): Promise<number> {
  return db.alert.count({ where: { AND: [visibleWhere(orgId, reach), { acknowledgedAt: null }] } });
}

/** Whoever may see an alert (its team's, or an org-wide one) may acknowledge it, once. */
export async function acknowledgeAlert(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, alertId: string) {
  const alert = found(await tx.alert.findFirst({ where: { orgId: access.orgId, id: alertId } }), "alert");
  if (!orgWideOrInReach(access.reach, alert.teamId)) refuse("FORBIDDEN", "That alert belongs to a team outside your scope.");
  if (alert.acknowledgedAt) refuse("BAD_REQUEST", `Already acknowledged by ${alert.acknowledgedBy ?? "someone"}.`);
  const acknowledgedAt = new Date();
  await tx.alert.update({ where: { id: alert.id }, data: { acknowledgedAt, acknowledgedBy: access.membership.userEmail } });
  await audit({
    action: "alert.acknowledged",
    targetType: "alert",
    targetId: alert.id,
    teamId: alert.teamId,
    after: { kind: alert.kind, title: alert.title, acknowledgedAt: acknowledgedAt.toISOString() },
  });
  return { id: alert.id, acknowledgedAt };
}

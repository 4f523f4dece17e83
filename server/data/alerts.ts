// Alerts: stored for the console and queued for the org's webhooks in the caller's transaction, so an
// alert exists exactly when the change that raised it commits. Each delivery is queued with its job
// (webhooks.deliver, server/data/webhook-delivery.ts), which sends it after commit.
import type { DbOrTx } from "../db";
import { reachIncludesTeam, type Reach } from "../domain/access/permissions";
import type { AlertKind, AlertSeverity } from "../domain/alerts/kinds";
import type { Prisma } from "../generated/prisma/client";

export { ALERT_KINDS, type AlertKind, type AlertSeverity } from "../domain/alerts/kinds";

/** The kind of the alert a "send test" creates: delivered to the one webhook, never listed as an alert. */
export const TEST_ALERT_KIND = "webhook_test";

export interface RaiseAlertInput {
  orgId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  title: string;
  details: object;
  agentId?: string | null;
  teamId?: string | null;
}

import { sqlRows, type SqlClient } from "../db/sql";
import { addJobs, job } from "../jobs/queue";

export { sqlRows, type SqlClient };

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
  const rows = await sqlRows<{ id: string }>(client, RAISE_SQL, [
    input.orgId,
    input.kind,
    input.severity,
    input.title,
    JSON.stringify(input.details),
    input.agentId ?? null,
    input.teamId ?? null,
  ]);
  const id = rows[0]?.id;
  if (!id) throw new Error("raiseAlert: the alert was not stored");
  return id;
}

/**
 * Queues a test delivery to one webhook (whatever its kinds and even if it has none enabled yet):
 * a hidden alert of kind `webhook_test`, so the delivery has the same shape as a real one.
 */
export async function queueTestDelivery(
  client: SqlClient,
  input: { orgId: string; webhookId: string; requestedBy: string },
): Promise<{ alertId: string; deliveryId: string }> {
  const rows = await sqlRows<{ alert_id: string; delivery_id: string }>(
    client,
    `WITH alert AS (
       INSERT INTO alerts (org_id, kind, severity, title, details, acknowledged_at, acknowledged_by)
       VALUES ($1::uuid, $3, 'info', 'Test delivery from Agentry', $4::jsonb, now(), 'system')
       RETURNING id
     )
     INSERT INTO webhook_deliveries (org_id, webhook_id, alert_id)
     SELECT $1::uuid, w.id, alert.id FROM webhooks w, alert WHERE w.id = $2::uuid AND w.org_id = $1::uuid
     RETURNING alert_id::text, id::text AS delivery_id`,
    [input.orgId, input.webhookId, TEST_ALERT_KIND, JSON.stringify({ requestedBy: input.requestedBy })],
  );
  const row = rows[0];
  if (!row) throw new Error("queueTestDelivery: no such webhook");
  await addJobs(client, [job("webhooks:deliver", { deliveryId: row.delivery_id })]);
  return { alertId: row.alert_id, deliveryId: row.delivery_id };
}

// ---------------------------------------------------------------------------------------------
// The console's reads.
//
// Who sees which alerts (dashboard:read): owners, admins, compliance and viewers see all of the
// org's; a team lead sees the alerts of their teams plus org-wide alerts that belong to no team
// (e.g. the org budget, an org-wide kill switch, an unassigned agent's loop).

export interface AlertView {
  id: string;
  kind: string;
  severity: string;
  title: string;
  details: unknown;
  agentId: string | null;
  agentName: string | null;
  teamId: string | null;
  teamName: string | null;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

function visibleWhere(orgId: string, reach: Reach): Prisma.AlertWhereInput {
  return {
    orgId,
    kind: { not: TEST_ALERT_KIND },
    ...(reach.kind === "teams" ? { OR: [{ teamId: { in: [...reach.teamIds] } }, { teamId: null }] } : {}),
  };
}

/** Whether `reach` may see (and so acknowledge) an alert of `teamId`. */
export function alertInReach(reach: Reach, teamId: string | null): boolean {
  return teamId === null || reachIncludesTeam(reach, teamId);
}

export async function listAlerts(
  db: DbOrTx,
  orgId: string,
  reach: Reach,
  filter: { status: "open" | "all"; kind?: string; limit: number; cursor?: string },
): Promise<{ items: AlertView[]; nextCursor: string | null }> {
  const rows = await db.alert.findMany({
    where: {
      AND: [
        visibleWhere(orgId, reach),
        filter.status === "open" ? { acknowledgedAt: null } : {},
        filter.kind ? { kind: filter.kind } : {},
      ],
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
export function openAlertCount(db: DbOrTx, orgId: string, reach: Reach): Promise<number> {
  return db.alert.count({ where: { AND: [visibleWhere(orgId, reach), { acknowledgedAt: null }] } });
}

// ---------------------------------------------------------------------------------------------
// Webhooks for the console (org:admin).

export interface WebhookView {
  id: string;
  url: string;
  kinds: string[];
  enabled: boolean;
  createdBy: string | null;
  createdAt: Date;
  deliveries: {
    id: string;
    alertTitle: string | null;
    alertKind: string | null;
    status: string;
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
    nextAttemptAt: Date;
    deliveredAt: Date | null;
    createdAt: Date;
  }[];
}

/** The org's webhooks, each with its latest deliveries (newest first). */
export async function listWebhooks(db: DbOrTx, orgId: string, deliveriesPerWebhook = 10): Promise<WebhookView[]> {
  const hooks = await db.webhook.findMany({ where: { orgId }, orderBy: { createdAt: "asc" } });
  const views: WebhookView[] = [];
  for (const hook of hooks) {
    const deliveries = await db.webhookDelivery.findMany({ where: { orgId, webhookId: hook.id }, orderBy: { createdAt: "desc" }, take: deliveriesPerWebhook });
    const alerts = deliveries.length
      ? await db.alert.findMany({ where: { orgId, id: { in: deliveries.map((d) => d.alertId) } }, select: { id: true, title: true, kind: true } })
      : [];
    const alertById = new Map(alerts.map((alert) => [alert.id, alert]));
    views.push({
      id: hook.id,
      url: hook.url,
      kinds: hook.kinds,
      enabled: hook.enabled,
      createdBy: hook.createdBy,
      createdAt: hook.createdAt,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        alertTitle: alertById.get(d.alertId)?.title ?? null,
        alertKind: alertById.get(d.alertId)?.kind ?? null,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        nextAttemptAt: d.nextAttemptAt,
        deliveredAt: d.deliveredAt,
        createdAt: d.createdAt,
      })),
    });
  }
  return views;
}

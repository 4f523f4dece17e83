// The org's webhooks (org settings, org:admin): listed with their latest deliveries, created (the
// signing secret is derived from AUTH_SECRET and the webhook's id, shown once, never stored),
// enabled or disabled, deleted with their deliveries, and sent a test delivery. Changes are
// audited in the caller's transaction. Sending is server/data/webhook-delivery.ts.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { sqlRows, type SqlClient } from "../db/sql";
import { TEST_ALERT_KIND, type AlertKind } from "../domain/alerts/kinds";
import { webhookSecret } from "../domain/alerts/webhook";
import { found, refuse } from "../domain/refusal";
import { env } from "../env";
import { addJobs, job } from "../jobs/queue";
import type { AuditWriter } from "./audit";

/** Enough for Slack, PagerDuty and a few internal receivers; more is a mistake, not a need. */
export const MAX_WEBHOOKS_PER_ORG = 20;

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
export async function listWebhooks(db: DbOrTx, orgId: AuthorizedOrgId, deliveriesPerWebhook = 10): Promise<WebhookView[]> {
  const hooks = await db.webhook.findMany({ where: { orgId }, orderBy: { createdAt: "asc" } });
  const views: WebhookView[] = [];
  for (const hook of hooks) {
    const deliveries = await db.webhookDelivery.findMany({ where: { orgId, webhookId: hook.id }, orderBy: { createdAt: "desc" }, take: deliveriesPerWebhook });
    const alerts = deliveries.length ? await db.alert.findMany({ where: { orgId, id: { in: deliveries.map((d) => d.alertId) } }, select: { id: true, title: true, kind: true } }) : [];
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

/** Creates a webhook; the answer holds its signing secret, the only time it is shown. */
export async function createWebhook(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, input: { url: string; kinds: readonly AlertKind[] }) {
  const existing = await tx.webhook.count({ where: { orgId: access.orgId } });
  if (existing >= MAX_WEBHOOKS_PER_ORG) refuse("BAD_REQUEST", `An organisation can have at most ${MAX_WEBHOOKS_PER_ORG} webhooks.`);
  const kinds = [...new Set(input.kinds)].sort();
  const hook = await tx.webhook.create({ data: { orgId: access.orgId, url: input.url, kinds, createdBy: access.membership.userEmail } });
  await audit({ action: "webhook.created", targetType: "webhook", targetId: hook.id, after: { url: hook.url, kinds } });
  return { id: hook.id, url: hook.url, kinds, secret: webhookSecret(env().AUTH_SECRET, hook.id) };
}

async function findWebhook(tx: Tx, orgId: AuthorizedOrgId, webhookId: string) {
  return found(await tx.webhook.findFirst({ where: { orgId, id: webhookId } }), "webhook");
}

export async function setWebhookEnabled(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, webhookId: string, enabled: boolean) {
  const hook = await findWebhook(tx, orgId, webhookId);
  await tx.webhook.update({ where: { id: hook.id }, data: { enabled } });
  await audit({ action: enabled ? "webhook.enabled" : "webhook.disabled", targetType: "webhook", targetId: hook.id, before: { enabled: hook.enabled }, after: { enabled, url: hook.url } });
  return { id: hook.id, enabled };
}

/** Deletes the webhook and its queued and past deliveries. To rotate the secret: delete and create again. */
export async function deleteWebhook(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, webhookId: string) {
  const hook = await findWebhook(tx, orgId, webhookId);
  await tx.webhookDelivery.deleteMany({ where: { orgId, webhookId: hook.id } });
  await tx.webhook.delete({ where: { id: hook.id } });
  await audit({ action: "webhook.deleted", targetType: "webhook", targetId: hook.id, before: { url: hook.url, kinds: hook.kinds, enabled: hook.enabled } });
  return { id: hook.id };
}

/** Queues a test delivery to an enabled webhook; the worker sends it within seconds. */
export async function sendTestDelivery(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, webhookId: string) {
  const hook = await findWebhook(tx, access.orgId, webhookId);
  if (!hook.enabled) refuse("BAD_REQUEST", "This webhook is disabled; enable it to send a test.");
  const queued = await queueTestDelivery(tx, { orgId: access.orgId, webhookId: hook.id, requestedBy: access.membership.userEmail });
  await audit({ action: "webhook.test_queued", targetType: "webhook", targetId: hook.id, after: { deliveryId: queued.deliveryId, url: hook.url } });
  return queued;
}

/**
 * Queues a test delivery to one webhook (whatever its kinds and even if it has none enabled yet):
 * a hidden alert of kind `webhook_test`, so the delivery has the same shape as a real one.
 */
export async function queueTestDelivery(client: SqlClient, input: { orgId: string; webhookId: string; requestedBy: string }): Promise<{ alertId: string; deliveryId: string }> {
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

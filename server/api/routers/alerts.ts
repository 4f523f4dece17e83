// Alerts in the console and the org's webhooks. Reading alerts is dashboard:read (team leads: their
// teams' alerts plus org-wide ones that belong to no team; see server/data/alerts.ts); whoever may
// read an alert may acknowledge it. Webhooks are org settings (org:admin).
import { TRPCError } from "@trpc/server";
import { alertInReach, listAlerts, listWebhooks, openAlertCount, queueTestDelivery } from "../../data/alerts";
import { acknowledgeAlertInput, alertListInput, createWebhookInput, setWebhookEnabledInput, webhookInput } from "../../domain/alerts/schemas";
import { webhookSecret } from "../../domain/alerts/webhook";
import { env } from "../../env";
import { createTRPCRouter, orgProcedure } from "../trpc";

/** Enough for Slack, PagerDuty and a few internal receivers; more is a mistake, not a need. */
const MAX_WEBHOOKS_PER_ORG = 20;

const webhooksRouter = createTRPCRouter({
  list: orgProcedure("org:admin").query(({ ctx }) => listWebhooks(ctx.db, ctx.access.orgId)),

  /** Returns the signing secret: the only time it is shown (it is derived, never stored). */
  create: orgProcedure("org:admin")
    .input(createWebhookInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const existing = await tx.webhook.count({ where: { orgId: ctx.access.orgId } });
        if (existing >= MAX_WEBHOOKS_PER_ORG) throw new TRPCError({ code: "BAD_REQUEST", message: `An organisation can have at most ${MAX_WEBHOOKS_PER_ORG} webhooks.` });
        const kinds = [...new Set(input.kinds)].sort();
        const hook = await tx.webhook.create({ data: { orgId: ctx.access.orgId, url: input.url, kinds, createdBy: ctx.access.membership.userEmail } });
        await audit({ action: "webhook.created", targetType: "webhook", targetId: hook.id, after: { url: hook.url, kinds } });
        return { id: hook.id, url: hook.url, kinds, secret: webhookSecret(env().AUTH_SECRET, hook.id) };
      }),
    ),

  setEnabled: orgProcedure("org:admin")
    .input(setWebhookEnabledInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const hook = await tx.webhook.findFirst({ where: { orgId: ctx.access.orgId, id: input.webhookId } });
        if (!hook) throw new TRPCError({ code: "NOT_FOUND", message: "No such webhook." });
        await tx.webhook.update({ where: { id: hook.id }, data: { enabled: input.enabled } });
        await audit({ action: input.enabled ? "webhook.enabled" : "webhook.disabled", targetType: "webhook", targetId: hook.id, before: { enabled: hook.enabled }, after: { enabled: input.enabled, url: hook.url } });
        return { id: hook.id, enabled: input.enabled };
      }),
    ),

  /** Deletes the webhook and its queued and past deliveries. To rotate the secret: delete and create again. */
  delete: orgProcedure("org:admin")
    .input(webhookInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const hook = await tx.webhook.findFirst({ where: { orgId: ctx.access.orgId, id: input.webhookId } });
        if (!hook) throw new TRPCError({ code: "NOT_FOUND", message: "No such webhook." });
        await tx.webhookDelivery.deleteMany({ where: { orgId: ctx.access.orgId, webhookId: hook.id } });
        await tx.webhook.delete({ where: { id: hook.id } });
        await audit({ action: "webhook.deleted", targetType: "webhook", targetId: hook.id, before: { url: hook.url, kinds: hook.kinds, enabled: hook.enabled } });
        return { id: hook.id };
      }),
    ),

  /** Queues a test delivery to this webhook; the worker sends it within seconds. */
  test: orgProcedure("org:admin")
    .input(webhookInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const hook = await tx.webhook.findFirst({ where: { orgId: ctx.access.orgId, id: input.webhookId } });
        if (!hook) throw new TRPCError({ code: "NOT_FOUND", message: "No such webhook." });
        if (!hook.enabled) throw new TRPCError({ code: "BAD_REQUEST", message: "This webhook is disabled; enable it to send a test." });
        const queued = await queueTestDelivery(tx, { orgId: ctx.access.orgId, webhookId: hook.id, requestedBy: ctx.access.membership.userEmail });
        await audit({ action: "webhook.test_queued", targetType: "webhook", targetId: hook.id, after: { deliveryId: queued.deliveryId, url: hook.url } });
        return queued;
      }),
    ),
});

export const alertsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(alertListInput)
    .query(({ ctx, input }) => listAlerts(ctx.db, ctx.access.orgId, ctx.access.reach, input)),

  openCount: orgProcedure("dashboard:read").query(({ ctx }) => openAlertCount(ctx.db, ctx.access.orgId, ctx.access.reach)),

  acknowledge: orgProcedure("dashboard:read")
    .input(acknowledgeAlertInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const alert = await tx.alert.findFirst({ where: { orgId: ctx.access.orgId, id: input.alertId } });
        if (!alert) throw new TRPCError({ code: "NOT_FOUND", message: "No such alert." });
        if (!alertInReach(ctx.access.reach, alert.teamId)) throw new TRPCError({ code: "FORBIDDEN", message: "That alert belongs to a team outside your scope." });
        if (alert.acknowledgedAt) throw new TRPCError({ code: "BAD_REQUEST", message: `Already acknowledged by ${alert.acknowledgedBy ?? "someone"}.` });
        const acknowledgedAt = new Date();
        await tx.alert.update({ where: { id: alert.id }, data: { acknowledgedAt, acknowledgedBy: ctx.access.membership.userEmail } });
        await audit({
          action: "alert.acknowledged",
          targetType: "alert",
          targetId: alert.id,
          teamId: alert.teamId,
          after: { kind: alert.kind, title: alert.title, acknowledgedAt: acknowledgedAt.toISOString() },
        });
        return { id: alert.id, acknowledgedAt };
      }),
    ),

  webhooks: webhooksRouter,
});

// Alerts in the console and the org's webhooks. Reading alerts is dashboard:read (team leads: their
// teams' alerts plus org-wide ones that belong to no team; see server/data/alerts.ts); whoever may
// read an alert may acknowledge it. Webhooks are org settings (org:admin).
import { acknowledgeAlert, listAlerts, openAlertCount } from "../../data/alerts";
import { createWebhook, deleteWebhook, listWebhooks, sendTestDelivery, setWebhookEnabled } from "../../data/webhooks";
import { acknowledgeAlertInput, alertListInput, createWebhookInput, setWebhookEnabledInput, webhookInput } from "../../domain/alerts/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

const webhooksRouter = createTRPCRouter({
  list: orgProcedure("org:admin").query(({ ctx }) => listWebhooks(ctx.db, ctx.access.orgId)),

  /** Returns the signing secret: the only time it is shown (it is derived, never stored). */
  create: orgProcedure("org:admin")
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createWebhook(tx, audit, ctx.access, input))),

  setEnabled: orgProcedure("org:admin")
    .input(setWebhookEnabledInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setWebhookEnabled(tx, audit, ctx.access.orgId, input.webhookId, input.enabled))),

  /** Deletes the webhook and its queued and past deliveries. To rotate the secret: delete and create again. */
  delete: orgProcedure("org:admin")
    .input(webhookInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deleteWebhook(tx, audit, ctx.access.orgId, input.webhookId))),

  /** Queues a test delivery to this webhook; the worker sends it within seconds. */
  test: orgProcedure("org:admin")
    .input(webhookInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => sendTestDelivery(tx, audit, ctx.access, input.webhookId))),
});

export const alertsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(alertListInput)
    .query(({ ctx, input }) => listAlerts(ctx.db, ctx.access.orgId, ctx.access.reach, input)),

  openCount: orgProcedure("dashboard:read").query(({ ctx }) => openAlertCount(ctx.db, ctx.access.orgId, ctx.access.reach)),

  acknowledge: orgProcedure("dashboard:read")
    .input(acknowledgeAlertInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => acknowledgeAlert(tx, audit, ctx.access, input.alertId))),

  webhooks: webhooksRouter,
});

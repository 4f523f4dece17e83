// Alerts in the console and the org's webhooks. Reading alerts is dashboard:read (team leads: their
// teams' alerts plus org-wide ones that belong to no team; see server/data/alerts.ts); whoever may
// read an alert may acknowledge it. Webhooks are org settings (org:admin).
import { z } from "zod";
import { acknowledgeAlert, listAlerts, openAlertCount } from "../../data/alerts";
import { createWebhook, deleteWebhook, listWebhooks, sendTestDelivery, setWebhookEnabled } from "../../data/webhooks";
import { ALERT_KINDS } from "../../domain/alerts/kinds";
import { validateWebhookUrl } from "../../domain/alerts/webhook";
import { createTRPCRouter, orgProcedure } from "../trpc";

const webhookUrl = z
  .string()
  .trim()
  .min(1, "Enter the URL that receives the alerts")
  .max(2000, "That URL is too long")
  .transform((raw, context) => {
    const checked = validateWebhookUrl(raw);
    if (!checked.ok) {
      context.addIssue({ code: "custom", message: checked.message });
      return z.NEVER;
    }
    return checked.url;
  });

const webhooksRouter = createTRPCRouter({
  list: orgProcedure("org:admin").query(({ ctx }) => listWebhooks(ctx.db, ctx.access.orgId)),

  /** Returns the signing secret: the only time it is shown (it is derived, never stored). */
  create: orgProcedure("org:admin")
    .input(z.object({ url: webhookUrl, kinds: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).default([]) }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createWebhook(tx, audit, ctx.access, input))),

  setEnabled: orgProcedure("org:admin")
    .input(z.object({ webhookId: z.string().uuid(), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setWebhookEnabled(tx, audit, ctx.access.orgId, input.webhookId, input.enabled))),

  /** Deletes the webhook and its queued and past deliveries. To rotate the secret: delete and create again. */
  delete: orgProcedure("org:admin")
    .input(z.object({ webhookId: z.string().uuid() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deleteWebhook(tx, audit, ctx.access.orgId, input.webhookId))),

  /** Queues a test delivery to this webhook; the worker sends it within seconds. */
  test: orgProcedure("org:admin")
    .input(z.object({ webhookId: z.string().uuid() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => sendTestDelivery(tx, audit, ctx.access, input.webhookId))),
});

export const alertsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(
      z.object({
        status: z.enum(["open", "all"]).default("open"),
        kind: z.enum(ALERT_KINDS).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().uuid().optional(),
      }),
    )
    .query(({ ctx, input }) => listAlerts(ctx.db, ctx.access.orgId, ctx.access.reach, input)),

  openCount: orgProcedure("dashboard:read").query(({ ctx }) => openAlertCount(ctx.db, ctx.access.orgId, ctx.access.reach)),

  acknowledge: orgProcedure("dashboard:read")
    .input(z.object({ alertId: z.string().uuid() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => acknowledgeAlert(tx, audit, ctx.access, input.alertId))),

  webhooks: webhooksRouter,
});

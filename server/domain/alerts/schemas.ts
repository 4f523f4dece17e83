// The inputs of alerts and webhooks, shared by the console's forms and the router (no node: or
// server-only imports), so both refuse the same values with the same words.
import { z } from "zod";
import { ALERT_KINDS } from "./kinds";

/** A URL people may register: http(s) only, with a host. */
export function validateWebhookUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full URL, such as https://hooks.example.com/agentry." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Only http and https URLs can receive webhooks." };
  if (!url.hostname) return { ok: false, message: "The URL needs a host." };
  if (url.username || url.password) return { ok: false, message: "Put no credentials in the URL; verify the signature instead." };
  return { ok: true, url: url.toString() };
}

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

export const createWebhookInput = z.object({ url: webhookUrl, kinds: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).default([]) });
export const webhookInput = z.object({ webhookId: z.string().uuid() });
export const setWebhookEnabledInput = z.object({ webhookId: z.string().uuid(), enabled: z.boolean() });

export const alertListInput = z.object({
  status: z.enum(["open", "all"]).default("open"),
  kind: z.enum(ALERT_KINDS).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});
export const acknowledgeAlertInput = z.object({ alertId: z.string().uuid() });

// Webhook deliveries, pure: what is sent, how it is signed, and when a failed delivery is retried.
//
// Signature (header `X-Agentry-Signature`): `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`,
// where `body` is the exact request body bytes. To verify on the receiving side (Node):
//
//   const [t, v1] = header.split(",").map((part) => part.slice(part.indexOf("=") + 1));
//   const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
//   const ok = timingSafeEqual(Buffer.from(v1, "hex"), Buffer.from(expected, "hex"))
//     && Math.abs(Date.now() / 1000 - Number(t)) <= 300; // refuse replays older than 5 minutes
//
// (`verifySignature` below does exactly this.) The secret is shown once when the webhook is created;
// it is derived from the server's AUTH_SECRET and the webhook id, never stored (`webhookSecret`).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Agentry-Signature";
/** How far a signature's timestamp may be from the receiver's clock before it is refused as a replay. */
export const SIGNATURE_TOLERANCE_SEC = 300;

/** The signing secret of one webhook: HMAC(AUTH_SECRET, "webhook:" + id), prefixed so people recognise it. */
export function webhookSecret(authSecret: string, webhookId: string): string {
  return `whsec_${createHmac("sha256", authSecret).update(`webhook:${webhookId}`).digest("hex")}`;
}

export function signPayload(secret: string, body: string, timestampSec: number): string {
  const t = Math.floor(timestampSec);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/** True when `header` is a valid signature of `body` with `secret`, made within the tolerance of `nowSec`. */
export function verifySignature(secret: string, body: string, header: string, nowSec: number, toleranceSec = SIGNATURE_TOLERANCE_SEC): boolean {
  const parts = new Map<string, string>();
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return timingSafeEqual(Buffer.from(v1, "hex"), Buffer.from(expected, "hex"));
}

export interface AlertForPayload {
  id: string;
  orgId: string;
  kind: string;
  severity: string;
  title: string;
  details: unknown;
  agentId: string | null;
  agentName: string | null;
  teamId: string | null;
  teamName: string | null;
  createdAt: Date;
}

export interface WebhookPayload {
  /** One line, for Slack-compatible incoming webhooks (they show `text`). */
  text: string;
  type: "alert";
  deliveryId: string;
  alert: Pick<AlertForPayload, "id" | "orgId" | "kind" | "severity" | "title" | "details"> & {
    agent: { id: string; name: string | null } | null;
    team: { id: string; name: string | null } | null;
    createdAt: string;
    url: string | null;
  };
}

const SEVERITY_MARK: Record<string, string> = { critical: "[CRITICAL]", warning: "[WARNING]", info: "[INFO]" };

/** The one-line summary: severity, title, and the agent or team it concerns. */
export function alertText(alert: Pick<AlertForPayload, "severity" | "title" | "agentName" | "teamName">): string {
  const mark = SEVERITY_MARK[alert.severity] ?? `[${alert.severity.toUpperCase()}]`;
  const about = alert.agentName ? ` (agent ${alert.agentName})` : alert.teamName ? ` (team ${alert.teamName})` : "";
  return `${mark} Agentry: ${alert.title}${about}`.replace(/\s+/g, " ").trim();
}

export function buildPayload(alert: AlertForPayload, deliveryId: string, consoleUrl: string | null): WebhookPayload {
  return {
    text: alertText(alert) + (consoleUrl ? ` ${consoleUrl}` : ""),
    type: "alert",
    deliveryId,
    alert: {
      id: alert.id,
      orgId: alert.orgId,
      kind: alert.kind,
      severity: alert.severity,
      title: alert.title,
      details: alert.details,
      agent: alert.agentId ? { id: alert.agentId, name: alert.agentName } : null,
      team: alert.teamId ? { id: alert.teamId, name: alert.teamName } : null,
      createdAt: alert.createdAt.toISOString(),
      url: consoleUrl,
    },
  };
}

/** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery is given up ("failed"). */
export const RETRY_DELAYS_MS: readonly number[] = [10_000, 30_000, 120_000, 600_000, 3_600_000];
/** Each wait is spread by ±20 % so many receivers recovering at once are not hit in lockstep. */
export const RETRY_JITTER = 0.2;

/**
 * After `attempts` failed attempts (1-based count, including the one that just failed), when to try
 * again, or null to give up.
 */
export function nextRetryDelayMs(attempts: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined || attempts < 1) return null;
  const spread = (random() * 2 - 1) * RETRY_JITTER;
  return Math.round(base * (1 + spread));
}

/** 2xx is delivered; anything else (and no answer) is retried until the schedule runs out. */
export function isDelivered(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

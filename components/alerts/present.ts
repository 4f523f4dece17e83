// How alerts and webhook deliveries read in the console. Pure, unit-tested.

export type Tone = "neutral" | "good" | "warn" | "bad" | "info";

import { isAlertKind, type AlertKind } from "@/server/domain/alerts/kinds";

/** Alerts per page of the list (the page prefetches the first one on the server). */
export const ALERTS_PAGE_SIZE = 50;

export type AlertStatusFilter = "open" | "all";

/** The list's filters as the URL gives them (?status=all&kind=anomaly): unacknowledged alerts of every kind unless it says otherwise. */
export function alertListFilter(params: Pick<URLSearchParams, "get">): { status: AlertStatusFilter; kind?: AlertKind } {
  const kind = params.get("kind") ?? "";
  return { status: params.get("status") === "all" ? "all" : "open", ...(isAlertKind(kind) ? { kind } : {}) };
}

/** The URL query for these filters; the defaults are left out. */
export function writeAlertListFilter(filter: { status: AlertStatusFilter; kind?: AlertKind }): string {
  const params = new URLSearchParams();
  if (filter.status !== "open") params.set("status", filter.status);
  if (filter.kind) params.set("kind", filter.kind);
  return params.toString();
}

export const KIND_LABEL: Record<AlertKind, string> = {
  budget_threshold: "Budget threshold",
  budget_exhausted: "Budget exhausted",
  loop_detected: "Loop detected",
  kill_switch: "Kill switch",
  approval_requested: "Approval requested",
  anomaly: "Anomaly",
  rollout: "Rollout",
};

export const SEVERITY_TONE: Record<string, Tone> = { critical: "bad", warning: "warn", info: "info" };

export function kindLabel(kind: string): string {
  return (KIND_LABEL as Record<string, string | undefined>)[kind] ?? kind.replace(/_/g, " ");
}

export function severityTone(severity: string): Tone {
  return SEVERITY_TONE[severity] ?? "neutral";
}

/** Where a person goes to act on an alert: the kill switches for loops and switches, budgets, approvals, else the agent. */
export function alertAction(slug: string, alert: { kind: string; agentId: string | null }): { href: string; label: string } | null {
  switch (alert.kind) {
    case "loop_detected":
    case "kill_switch":
      return { href: `/${slug}/kill-switches`, label: "Open kill switches" };
    case "budget_threshold":
    case "budget_exhausted":
      return { href: `/${slug}/budgets`, label: "Open budgets" };
    case "approval_requested":
      return { href: `/${slug}/approvals`, label: "Open approvals" };
    case "anomaly":
      return { href: `/${slug}/compliance?tab=anomalies`, label: "Open anomalies" };
    case "rollout":
      return { href: `/${slug}/rollouts`, label: "Open rollouts" };
    default:
      return alert.agentId ? { href: `/${slug}/agents/${alert.agentId}`, label: "Open agent" } : null;
  }
}

/** A delivery's state in words: delivered, waiting for a retry (after n attempts), given up, … */
export function deliveryStatus(delivery: { status: string; attempts: number; lastStatus: number | null }): { label: string; tone: Tone } {
  const answer = delivery.lastStatus === null ? "" : ` (HTTP ${delivery.lastStatus})`;
  switch (delivery.status) {
    case "delivered":
      return { label: `Delivered${answer}`, tone: "good" };
    case "failed":
      return { label: `Failed after ${delivery.attempts} attempts${answer}`, tone: "bad" };
    case "cancelled":
      return { label: "Not sent (webhook disabled)", tone: "neutral" };
    case "sending":
      return { label: "Sending", tone: "info" };
    default:
      return delivery.attempts === 0 ? { label: "Queued", tone: "info" } : { label: `Retrying: ${delivery.attempts} ${delivery.attempts === 1 ? "attempt" : "attempts"} so far${answer}`, tone: "warn" };
  }
}

/** The kinds a webhook receives, in words. */
export function kindsSummary(kinds: readonly string[]): string {
  return kinds.length === 0 ? "All alerts" : kinds.map(kindLabel).join(", ");
}

/** The human reason an alert's details carry (a kill switch's reason, a budget's message), if any. */
export function reasonOf(details: unknown): string | null {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return null;
  const { reason, message } = details as { reason?: unknown; message?: unknown };
  if (typeof reason === "string" && reason.trim()) return reason.trim();
  if (typeof message === "string" && message.trim()) return message.trim();
  return null;
}

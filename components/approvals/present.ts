// How an approval request reads in the queue: pure, unit-tested.

/** The queue shows every pending request at once (up to this many); the history comes a page at a time. */
export const APPROVAL_QUEUE_LIMIT = 200;
export const APPROVAL_HISTORY_PAGE = 25;

export type ApprovalStatus = "pending" | "approved" | "denied" | "expired";

export const STATUS_LABEL: Record<ApprovalStatus, string> = {
  pending: "Pending",
  approved: "Approved",
  denied: "Denied",
  expired: "Expired",
};

export const STATUS_TONE: Record<ApprovalStatus, "warn" | "good" | "bad" | "neutral"> = {
  pending: "warn",
  approved: "good",
  denied: "bad",
  expired: "neutral",
};

/** "12 min left", "45 s left", "1 h 5 min left", or "expired" once the time is up. */
export function timeLeft(expiresAt: Date | string, now: Date): string {
  const ms = new Date(expiresAt).getTime() - now.getTime();
  if (ms <= 0) return "expired";
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** Whether less than this share of the request's time is left: shown as urgent. */
export function isUrgent(requestedAt: Date | string, expiresAt: Date | string, now: Date): boolean {
  const total = new Date(expiresAt).getTime() - new Date(requestedAt).getTime();
  const left = new Date(expiresAt).getTime() - now.getTime();
  return total > 0 && left > 0 && left / total < 0.2;
}

/**
 * The action's arguments as the approver reads them: one `name: value` line per top-level
 * argument (nested values as compact JSON), in the order the agent sent them.
 */
export function argumentLines(value: unknown): { name: string; value: string }[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [{ name: "(value)", value: JSON.stringify(value) }];
  return Object.entries(value as Record<string, unknown>).map(([name, item]) => ({
    name,
    value: typeof item === "string" ? item : (JSON.stringify(item) ?? "undefined"),
  }));
}

/** What the decider sees under the request: "Approved by x — note" etc. */
export function outcomeLine(item: { status: ApprovalStatus; decidedBy: string | null; note: string | null; usedAt: Date | string | null }): string {
  if (item.status === "expired") return "Nobody decided before it expired; the agent did not act.";
  if (item.status === "pending") return "Waiting for a decision.";
  const verb = item.status === "approved" ? "Approved" : "Denied";
  const by = item.decidedBy ? ` by ${item.decidedBy}` : "";
  const note = item.note ? ` — “${item.note}”` : "";
  const used = item.status === "approved" ? (item.usedAt ? " The agent has used it." : " Not used by the agent yet.") : "";
  return `${verb}${by}${note}.${used}`;
}

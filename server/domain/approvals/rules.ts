// Approvals: the rules, pure. A require-approval decision opens a request that a person approves
// or denies before it expires; an approved request authorises exactly one matching action.
import { canonicalJson, type JsonValue } from "../audit/canonical-json";

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** How long a request waits for a person when the caller names no expiry. */
export const DEFAULT_APPROVAL_TTL_MS = 30 * 60 * 1000;
/** Bounds on a caller-chosen expiry: long enough to reach a person, short enough to stay relevant. */
export const MIN_APPROVAL_TTL_MS = 60 * 1000;
export const MAX_APPROVAL_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * After approval the agent has this long to use it: it has been waiting, so it comes back at
 * once; a permission that lingers for days would authorise an action nobody remembers approving.
 */
export const APPROVAL_USE_WINDOW_MS = 60 * 60 * 1000;
/** The longest a GET /api/v1/approvals/:id may hold the connection open. */
export const MAX_WAIT_MS = 60_000;

export function approvalTtlMs(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_APPROVAL_TTL_MS;
  return Math.min(MAX_APPROVAL_TTL_MS, Math.max(MIN_APPROVAL_TTL_MS, Math.round(requested)));
}

export interface ApprovalState {
  status: ApprovalStatus;
  expiresAt: Date;
}

/** A pending request past its expiry is expired, whether or not the sweep has marked it yet. */
export function effectiveStatus(approval: ApprovalState, now: Date): ApprovalStatus {
  return approval.status === "pending" && approval.expiresAt.getTime() <= now.getTime() ? "expired" : approval.status;
}

export interface DecidableApproval extends ApprovalState {
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** Why a person may not decide this request now (null: they may). */
export function decisionRefusal(approval: DecidableApproval, now: Date): string | null {
  const status = effectiveStatus(approval, now);
  if (status === "expired") {
    return `This request expired at ${approval.expiresAt.toISOString()} and can no longer be approved or denied; the agent has to ask again.`;
  }
  if (status === "approved" || status === "denied") {
    const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
    const at = approval.decidedAt ? ` at ${approval.decidedAt.toISOString()}` : "";
    return `This request was already ${status}${by}${at}; a decision cannot be changed.`;
  }
  return null;
}

export interface UsableApproval extends DecidableApproval {
  agentId: string;
  actionType: string;
  actionName: string;
  /** As stored: redacted. */
  arguments: unknown;
  usedAt: Date | null;
}

export interface RequestedAction {
  type: string;
  name: string;
  /** Redacted the same way as when the approval was opened. */
  arguments: unknown;
}

export type ConsumeRefusalCode = "approval_not_found" | "approval_pending" | "approval_denied" | "approval_expired" | "approval_used" | "approval_mismatch";

/** Why this approval does not authorise `action` by `agentId` now (null: it does, once). */
export function consumeRefusal(approval: UsableApproval | null, agentId: string, action: RequestedAction, now: Date): { code: ConsumeRefusalCode; message: string } | null {
  if (!approval || approval.agentId !== agentId) return { code: "approval_not_found", message: "No such approval for this agent." };
  const status = effectiveStatus(approval, now);
  if (status === "pending") return { code: "approval_pending", message: "The approval has not been decided yet; wait for it (GET /api/v1/approvals/:id?waitMs=…)." };
  if (status === "denied") return { code: "approval_denied", message: "The approval was denied." };
  if (status === "expired") return { code: "approval_expired", message: "The approval request expired before anyone decided it; ask again." };
  if (approval.usedAt) return { code: "approval_used", message: "The approval was already used; an approval authorises one action." };
  if (approval.decidedAt && now.getTime() - approval.decidedAt.getTime() > APPROVAL_USE_WINDOW_MS) {
    return { code: "approval_expired", message: "The approval was granted more than an hour ago and has lapsed; ask again." };
  }
  if (!sameAction(approval, action)) {
    return { code: "approval_mismatch", message: `The approval was for ${approval.actionType} "${approval.actionName}" with the arguments shown to the approver, not for this action.` };
  }
  return null;
}

/** Same type, name and (redacted) arguments, compared as canonical JSON so key order does not matter. */
export function sameAction(approval: Pick<UsableApproval, "actionType" | "actionName" | "arguments">, action: RequestedAction): boolean {
  return approval.actionType === action.type && approval.actionName === action.name && canonicalArguments(approval.arguments) === canonicalArguments(action.arguments);
}

function canonicalArguments(value: unknown): string {
  // Absent and empty arguments are the same request.
  if (value === null || value === undefined) return "{}";
  return canonicalJson(JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** `?waitMs=` of GET /api/v1/approvals/:id: absent → 0; otherwise an integer 0–60000. */
export function parseWaitMs(raw: string | null): { ok: true; value: number } | { ok: false; message: string } {
  if (raw === null || raw === "") return { ok: true, value: 0 };
  if (!/^\d+$/.test(raw)) return { ok: false, message: `waitMs must be a whole number of milliseconds from 0 to ${MAX_WAIT_MS}` };
  const value = Number(raw);
  if (value > MAX_WAIT_MS) return { ok: false, message: `waitMs must be at most ${MAX_WAIT_MS} (one minute); ask again to keep waiting` };
  return { ok: true, value };
}

// Drafts weighed before they are enforced: the set "as it would be" and what would change. Pure.
import type { PolicyEffect } from "./outcome";

export interface PolicySource {
  id: string;
  name: string;
  cedar: string;
}

/** A change to try: a new or edited policy's text, or (remove) an enforced policy taken away. */
export interface DraftChange {
  /** The policy being edited or removed; absent for a new policy. */
  policyId?: string | null;
  name: string;
  cedar: string;
  remove?: boolean;
}

export const DRAFT_POLICY_ID = "draft";

/** The enforced policies with the draft in place of (or in addition to, or instead of) its policy. */
export function applyDraft(enforced: readonly PolicySource[], draft: DraftChange): PolicySource[] {
  const others = enforced.filter((policy) => policy.id !== draft.policyId);
  if (draft.remove) return others;
  return [...others, { id: draft.policyId ?? DRAFT_POLICY_ID, name: draft.name, cedar: draft.cedar }];
}

export type FinalDecision = "allow" | "deny" | "require_approval";

/** The policy layer's answer once the org's default fills in for "nothing matched". */
export function finalDecision(effect: PolicyEffect, defaultDecision: "allow" | "deny"): FinalDecision {
  return effect === "no_match" ? defaultDecision : effect;
}

export interface ReplayRow<T> {
  record: T;
  now: FinalDecision;
  draft: FinalDecision;
}

/** The replayed decisions whose policy answer the draft would change, and how many of each change. */
export function impactOf<T>(rows: readonly ReplayRow<T>[]): { changed: ReplayRow<T>[]; counts: Record<string, number> } {
  const changed = rows.filter((row) => row.now !== row.draft);
  const counts: Record<string, number> = {};
  for (const row of changed) {
    const key = `${row.now}→${row.draft}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { changed, counts };
}

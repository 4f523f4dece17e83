"use client";

import { useQuery } from "@tanstack/react-query";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";

export const PENDING_BADGE_DESCRIPTION_ID = "nav-approvals-pending";

/**
 * The nav's count of requests waiting for the viewer (in their reach). Drawn beside the link's
 * text but kept out of its name ("Approvals"): the count is the link's description instead.
 */
export function PendingApprovalsBadge() {
  const org = useOrg();
  const trpc = useTRPC();
  const canDecide = useCan("approvals:decide");
  const count = useQuery({ ...trpc.approvals.pendingCount.queryOptions({ orgId: org.orgId }), enabled: canDecide, refetchInterval: 15_000 });
  const pending = count.data ?? 0;
  if (!canDecide || pending === 0) return null;
  return (
    <>
      <span aria-hidden className="ml-auto rounded-full bg-amber-400 px-1.5 py-0.5 text-xs leading-none font-semibold text-slate-900">
        {pending > 99 ? "99+" : pending}
      </span>
      <span id={PENDING_BADGE_DESCRIPTION_ID} hidden>
        {pending === 1 ? "1 request waits for a decision" : `${pending} requests wait for a decision`}
      </span>
    </>
  );
}

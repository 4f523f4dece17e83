"use client";

import { useQuery } from "@tanstack/react-query";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";

export const OPEN_ALERTS_DESCRIPTION_ID = "nav-alerts-open";

/** The nav's count of unacknowledged alerts the viewer can see; a description of the link, not part of its name. */
export function OpenAlertsBadge() {
  const org = useOrg();
  const trpc = useTRPC();
  const canRead = useCan("dashboard:read");
  const count = useQuery({ ...trpc.alerts.openCount.queryOptions({ orgId: org.orgId }), enabled: canRead, refetchInterval: 15_000 });
  const open = count.data ?? 0;
  if (!canRead || open === 0) return null;
  return (
    <>
      <span aria-hidden className="ml-auto rounded-full bg-red-500 px-1.5 py-0.5 text-xs leading-none font-semibold text-white">
        {open > 99 ? "99+" : open}
      </span>
      <span id={OPEN_ALERTS_DESCRIPTION_ID} hidden>
        {open === 1 ? "1 alert not acknowledged" : `${open} alerts not acknowledged`}
      </span>
    </>
  );
}

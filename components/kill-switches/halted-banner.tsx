"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { LocalTime } from "@/components/ui/local-time";
import { scopeTitle } from "./format";

/** On an agent's page: a clear banner while a kill switch halts it (nothing otherwise). */
export function HaltedBanner({ agentId }: { agentId: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const halting = useQuery({ ...trpc.killSwitches.forAgent.queryOptions({ orgId: org.orgId, agentId }), refetchInterval: 10_000 });
  const sw = halting.data;
  if (!sw) return null;
  return (
    <div role="alert" className="mb-5 rounded-lg bg-red-600 px-5 py-4 text-white shadow-sm">
      <p className="text-base font-semibold">{sw.reasonCode === "loop_detected" ? "Halted: loop detected" : "Halted by a kill switch"}</p>
      <p className="mt-1 text-sm text-red-50">
        {scopeTitle(sw.scope, sw.targetName)} · {sw.reason} · by {sw.engagedBy}, <LocalTime value={sw.engagedAt} />. Its decisions are denied; its telemetry is still stored.{" "}
        <Link href={`/${org.slug}/kill-switches`} className="font-medium underline">
          Kill switches
        </Link>
      </p>
    </div>
  );
}

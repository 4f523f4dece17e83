"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary, SkeletonRows } from "@/components/ui/query-boundary";
import { ledgerTitle, ledgerTone } from "./present";
import { ReasonDialog } from "./reason-dialog";

type LedgerEvent = RouterOutputs["versions"]["timeline"][number];

const DOT: Record<string, string> = { bad: "bg-red-500", warn: "bg-amber-500", good: "bg-emerald-500", info: "bg-brand-500", neutral: "bg-slate-400" };

/** The release ledger as the agent's timeline; a person may revert to any earlier version from it. */
export function AgentTimeline({ agentId }: { agentId: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan("agents:write");
  const timeline = useQuery({ ...trpc.versions.timeline.queryOptions({ orgId: org.orgId, agentId }), refetchInterval: 10_000 });
  const versions = useQuery(trpc.versions.list.queryOptions({ orgId: org.orgId, agentId }));
  const [reverting, setReverting] = useState<{ id: string; label: string } | null>(null);
  const revert = useMutation(
    trpc.versions.makeStable.mutationOptions({
      onSuccess: async () => {
        setReverting(null);
        await queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() });
      },
    }),
  );

  const byId = new Map((versions.data?.versions ?? []).map((version) => [version.id, version]));
  const rolloutRunning = versions.data?.activeRollout ?? null;
  // Revert to a version the ledger shows released or stable, while it can still run: offered once,
  // on its newest line, and not while a rollout runs (the stable version is the rollout's then).
  const revertOffers = (events: readonly LedgerEvent[]) => {
    const offered = new Set<string>();
    return events.map((event) => {
      if (!canWrite || rolloutRunning || (event.kind !== "version_released" && event.kind !== "stable_changed" && event.kind !== "completed")) return null;
      const version = event.to ? byId.get(event.to.id) : undefined;
      if (!version || version.stable || offered.has(version.id) || (version.status !== "released" && version.status !== "deprecated")) return null;
      offered.add(version.id);
      return version;
    });
  };

  return (
    <Card>
      <CardHeader
        title="Release ledger"
        description={
          canWrite && rolloutRunning
            ? `Every release, stage change, pause, rollback, deprecation and retirement: who, when, why, from and to. Reverting to an earlier version is offered here once the rollout of ${rolloutRunning.to.label} has ended.`
            : "Every release, stage change, pause, rollback, deprecation and retirement: who, when, why, from and to."
        }
      />
      <QueryBoundary
        query={timeline}
        label="the release ledger"
        inset
        loading={<SkeletonRows rows={4} className="h-10" />}
        empty={<EmptyState title="Nothing released yet">Versions, releases and rollouts of this agent appear here as they happen.</EmptyState>}
      >
        {(events) => {
          const offers = revertOffers(events);
          return (
            <ol className="px-5 py-4" aria-label="Release ledger">
              {events.map((event, index) => {
                const version = offers[index];
                return (
                  <li key={event.id} className="relative flex gap-4 pb-5 last:pb-0">
                    {index < events.length - 1 ? <span aria-hidden className="absolute top-3 left-[5px] h-full w-px bg-slate-200" /> : null}
                    <span aria-hidden className={cn("relative mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ring-4 ring-white", DOT[ledgerTone(event.kind)])} />
                    <div className="min-w-0 flex-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <p className="text-sm font-medium text-slate-900">{ledgerTitle(event)}</p>
                        {event.actorType === "system" ? <Badge tone="neutral">automatic</Badge> : null}
                      </div>
                      <p className="text-xs text-slate-500">
                        <LocalTime value={event.at} /> · {event.actorLabel}
                      </p>
                      {event.reason ? <p className="mt-1 text-sm text-slate-700">{event.reason}</p> : null}
                      {version ? (
                        <Button
                          size="sm"
                          variant="secondary"
                          className="mt-2"
                          onClick={() => {
                            revert.reset();
                            setReverting({ id: version.id, label: version.label });
                          }}
                        >
                          Revert to {version.label}
                        </Button>
                      ) : null}
                    </div>
                  </li>
                );
              })}
            </ol>
          );
        }}
      </QueryBoundary>
      {reverting ? (
        <ReasonDialog
          open
          onClose={() => setReverting(null)}
          title={`Revert to ${reverting.label}?`}
          description="It becomes the stable version at once, and every instance is told to move to it."
          confirmLabel={`Revert to ${reverting.label}`}
          tone="danger"
          pending={revert.isPending}
          error={revert.error}
          onConfirm={(reason) => revert.mutate({ orgId: org.orgId, versionId: reverting.id, reason })}
        />
      ) : null}
    </Card>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { Input, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { PHASE, phaseOf } from "./present";
import { RolloutCard, SEQUENTIAL_TEST_NOTE, StageProgress, type RolloutView } from "./rollout-card";
import { StartRolloutDialog } from "./start-rollout";

export function RolloutsPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canWrite = useCan("agents:write");
  const [starting, setStarting] = useState(false);
  const list = useQuery({
    ...trpc.rollouts.list.queryOptions({ orgId: org.orgId }),
    // Running rollouts are judged every few seconds: keep their numbers live.
    refetchInterval: (query) => ((query.state.data?.active.length ?? 0) > 0 ? 3000 : 15_000),
  });

  return (
    <>
      <PageHeader
        title="Rollouts"
        description="New agent versions, released in stages. Each stage is judged by guards against the stable version on live traffic; a breach pauses or rolls back on its own."
        actions={canWrite ? <Button onClick={() => setStarting(true)}>Start a rollout</Button> : undefined}
      />
      <div className="space-y-6">
        <QueryBoundary query={list} label="rollouts" loading={<LoadingCard rows={3} className="h-10" />}>
          {(data) => (
            <>
              <section aria-labelledby="running-rollouts" className="space-y-4">
                <div className="flex flex-wrap items-end justify-between gap-2">
                  <h2 id="running-rollouts" className="text-lg font-semibold text-slate-900">
                    Running ({data.active.length})
                  </h2>
                  <p className="max-w-3xl text-xs text-slate-500">{SEQUENTIAL_TEST_NOTE}</p>
                </div>
                {data.active.length === 0 ? (
                  <Card>
                    <EmptyState title="No rollout is running" action={canWrite ? <Button onClick={() => setStarting(true)}>Start a rollout</Button> : undefined}>
                      Release a new version on an agent&apos;s Versions tab, then roll it out here in stages.
                    </EmptyState>
                  </Card>
                ) : (
                  data.active.map((rollout) => <RolloutCard key={rollout.id} rollout={rollout} />)
                )}
              </section>
              <PastRollouts rollouts={data.past} />
            </>
          )}
        </QueryBoundary>
      </div>
      {canWrite ? <StartRolloutDialog open={starting} onClose={() => setStarting(false)} /> : null}
    </>
  );
}

function PastRollouts({ rollouts }: { rollouts: RolloutView[] }) {
  const org = useOrg();
  const searchId = useId();
  const outcomeId = useId();
  const [search, setSearch] = useState("");
  const [outcome, setOutcome] = useState<"" | "completed" | "rolled_back">("");
  const rows = useMemo(
    () => rollouts.filter((rollout) => (!outcome || rollout.status === outcome) && (!search.trim() || rollout.agentName.toLowerCase().includes(search.trim().toLowerCase()))),
    [rollouts, search, outcome],
  );
  const columns: Column<RolloutView>[] = [
    {
      key: "agent",
      header: "Agent",
      sortValue: (row) => row.agentName,
      render: (row) => (
        <Link href={`/${org.slug}/agents/${row.agentId}?tab=timeline`} className="font-medium text-slate-900 hover:underline">
          {row.agentName}
        </Link>
      ),
    },
    { key: "versions", header: "From → to", render: (row) => <span className="font-mono text-xs">{`${row.from.label} → ${row.to.label}`}</span> },
    {
      key: "outcome",
      header: "Outcome",
      sortValue: (row) => row.status,
      render: (row) => {
        const phase = PHASE[phaseOf(row)];
        return <Badge tone={phase.tone}>{phase.label}</Badge>;
      },
    },
    { key: "stages", header: "Stages", render: (row) => <StageProgress rollout={row} /> },
    { key: "started", header: "Started", sortValue: (row) => new Date(row.createdAt).getTime(), render: (row) => <LocalTime value={row.createdAt} /> },
    { key: "ended", header: "Ended", sortValue: (row) => (row.endedAt ? new Date(row.endedAt).getTime() : null), render: (row) => (row.endedAt ? <LocalTime value={row.endedAt} /> : "—") },
    { key: "why", header: "Why it ended", className: "max-w-md", render: (row) => <span className="text-xs text-slate-600">{row.endedReason ?? "—"}</span> },
  ];
  return (
    <Card>
      <CardHeader
        title="Past rollouts"
        description="Completed and rolled back, newest first."
        actions={
          <div className="flex gap-2">
            <label htmlFor={searchId} className="sr-only">
              Filter by agent
            </label>
            <Input id={searchId} value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Filter by agent" className="w-44" />
            <label htmlFor={outcomeId} className="sr-only">
              Outcome
            </label>
            <Select id={outcomeId} value={outcome} onChange={(event) => setOutcome(event.target.value as typeof outcome)} className="w-40">
              <option value="">All outcomes</option>
              <option value="completed">Completed</option>
              <option value="rolled_back">Rolled back</option>
            </Select>
          </div>
        }
      />
      <DataTable
        rows={rows}
        columns={columns}
        rowKey={(row) => row.id}
        caption="Past rollouts"
        initialSort={{ key: "started", direction: "desc" }}
        empty={<p className="px-4 py-8 text-center text-slate-500">{rollouts.length === 0 ? "No rollout has ended yet." : "No rollout matches the filter."}</p>}
      />
    </Card>
  );
}

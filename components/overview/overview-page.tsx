"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Badge, Skeleton } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { CompliancePostureCard, RecentAnomaliesCard } from "./compliance";
import { IncidentsCard, SpendChartCard, TopSpendersCard } from "./sections";
import { AgentsTile, HealthTile, IncidentsTile, SpendTile } from "./tiles";

/** The figures move with live traffic; a minute is fresh enough for a dashboard and cheap for the database. */
const REFRESH_MS = 60_000;

export function OverviewPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canReadAudit = useCan("audit:read");
  const canDecide = useCan("approvals:decide");
  const canWriteAgents = useCan("agents:write");
  const canWriteBudgets = useCan("budgets:write");
  const summary = useQuery({ ...trpc.overview.summary.queryOptions({ orgId: org.orgId }), refetchInterval: REFRESH_MS });
  const chain = useQuery({ ...trpc.audit.verify.queryOptions({ orgId: org.orgId }), enabled: canReadAudit });
  const base = `/${org.slug}`;
  const data = summary.data;
  const scoped = org.role === "team_lead";
  // Team leads split their team's budget among its agents; team and org budgets are set by owners and admins.
  const budgetsHint = canWriteBudgets && !scoped ? "Set one on the Budgets page." : "Owners and admins set monthly budgets on the Budgets page.";

  return (
    <>
      <PageHeader
        title="Overview"
        description={
          data?.scope.kind === "teams" ? (
            <>
              Your teams only: <span className="font-medium text-slate-900">{data.scope.teamNames.join(", ") || "none"}</span>. Agents, spend and incidents of other teams are not shown.
            </>
          ) : (
            `${org.name} at a glance: the agents you run, what they cost, how they are doing and what needs attention.`
          )
        }
        actions={
          <div className="flex flex-wrap items-center justify-end gap-3 text-xs text-slate-500">
            {canReadAudit ? (
              <Link href={`${base}/audit`} className="hover:underline" aria-label="Audit chain status">
                <QueryBoundary query={chain} label="the audit chain's status" loading={<Skeleton className="h-5 w-40" />} failure={() => <Badge tone="warn">Audit chain not checked</Badge>} staleNotice={false}>
                  {(result) => (result.ok ? <Badge tone="good">Audit chain verified · {result.count} entries</Badge> : <Badge tone="bad">Audit chain broken at entry {result.brokenAt.seq ?? "?"}</Badge>)}
                </QueryBoundary>
              </Link>
            ) : null}
            {data ? (
              <span>
                Updated <LocalTime value={data.generatedAt} />
              </span>
            ) : null}
            <Button variant="secondary" size="sm" onClick={() => void summary.refetch()} disabled={summary.isFetching}>
              {summary.isFetching && data ? "Refreshing…" : "Refresh"}
            </Button>
          </div>
        }
      />

      <QueryBoundary query={summary} label="the overview" loading={<LoadingOverview />}>
        {(data) => (
          <div className="space-y-6">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
              <AgentsTile agents={data.agents} base={base} scoped={data.scope.kind === "teams"} canWriteAgents={canWriteAgents} />
              <SpendTile spend={data.spend} base={base} budgetsHint={budgetsHint} />
              <HealthTile agents={data.agents} activity={data.activity} base={base} />
              <IncidentsTile incidents={data.incidents} base={base} canDecide={canDecide} />
            </div>
            <div className="grid grid-cols-1 items-start gap-6 xl:grid-cols-2">
              <CompliancePostureCard summary={data} base={base} />
              <RecentAnomaliesCard summary={data} base={base} />
            </div>
            <SpendChartCard summary={data} base={base} canWriteAgents={canWriteAgents} />
            <div className="grid grid-cols-1 items-start gap-6 xl:grid-cols-2">
              <TopSpendersCard summary={data} base={base} />
              <IncidentsCard summary={data} base={base} canDecide={canDecide} />
            </div>
          </div>
        )}
      </QueryBoundary>
    </>
  );
}

function LoadingOverview() {
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((index) => (
          <Card key={index} className="px-5 py-4">
            <Skeleton className="h-3 w-24" />
            <Skeleton className="mt-3 h-8 w-28" />
            <Skeleton className="mt-3 h-2 w-full" />
            <Skeleton className="mt-2 h-3 w-3/4" />
            <Skeleton className="mt-6 h-3 w-1/2" />
          </Card>
        ))}
      </div>
      <Card className="px-5 py-4">
        <Skeleton className="h-4 w-56" />
        <Skeleton className="mt-2 h-3 w-80" />
        <Skeleton className="mt-6 h-64 w-full" />
      </Card>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        {[0, 1].map((index) => (
          <Card key={index} className="px-5 py-4">
            <Skeleton className="h-4 w-48" />
            <Skeleton className="mt-2 h-3 w-72" />
            <div className="mt-6 space-y-3">
              {[0, 1, 2, 3, 4].map((row) => (
                <Skeleton key={row} className="h-4 w-full" />
              ))}
            </div>
          </Card>
        ))}
      </div>
    </div>
  );
}

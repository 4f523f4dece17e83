"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId } from "react";
import { useOrg } from "@/components/shell/org-context";
import { byNextCursor } from "@/components/trpc/paging";
import { useTRPC } from "@/components/trpc/react";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Alert, Badge, EmptyState, errorMessage } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary, SkeletonRows } from "@/components/ui/query-boundary";
import { isAlertKind, type AlertKind } from "@/server/domain/alerts/kinds";
import { alertAction, alertListFilter, ALERTS_PAGE_SIZE, KIND_LABEL, kindLabel, reasonOf, severityTone, writeAlertListFilter, type AlertStatusFilter } from "./present";

/** New alerts show up without a reload. */
const REFRESH_MS = 10_000;

export function AlertsPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const statusId = useId();
  const kindId = useId();
  // The filters live in the URL, so a link can open the list filtered (an anomaly's "Alert →").
  const filter = alertListFilter(params);
  const setFilter = (next: { status: AlertStatusFilter; kind?: AlertKind }) => {
    const query = writeAlertListFilter(next);
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  const alerts = useInfiniteQuery({
    ...trpc.alerts.list.infiniteQueryOptions({ orgId: org.orgId, ...filter, limit: ALERTS_PAGE_SIZE }, byNextCursor),
    refetchInterval: REFRESH_MS,
  });

  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          <>
            Budgets crossing their thresholds or running out, loops stopped automatically, kill switches engaged and released. Each alert is also sent to the organisation&apos;s webhooks (Settings → Webhooks).
            Acknowledge an alert once someone has looked at it.
            {org.role === "team_lead" ? " You see your teams' alerts and organisation-wide ones." : ""}
          </>
        }
      />
      <Card>
        <div className="flex flex-wrap items-end gap-4 border-b border-slate-200 px-5 py-3">
          <div className="w-56">
            <Field label="Show" htmlFor={statusId}>
              <Select id={statusId} value={filter.status} onChange={(event) => setFilter({ ...filter, status: event.target.value === "all" ? "all" : "open" })}>
                <option value="open">Not acknowledged</option>
                <option value="all">All alerts</option>
              </Select>
            </Field>
          </div>
          <div className="w-56">
            <Field label="Kind" htmlFor={kindId}>
              <Select id={kindId} value={filter.kind ?? ""} onChange={(event) => setFilter({ status: filter.status, ...(isAlertKind(event.target.value) ? { kind: event.target.value } : {}) })}>
                <option value="">All kinds</option>
                {Object.entries(KIND_LABEL).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        </div>
        <QueryBoundary
          query={alerts}
          label="alerts"
          inset
          loading={<SkeletonRows rows={3} className="h-16" />}
          isEmpty={(data) => data.pages.every((page) => page.items.length === 0)}
          empty={
            <EmptyState title={filter.status === "open" ? "No alerts need attention" : "No alerts yet"}>
              When a budget crosses a threshold or runs out, a loop is stopped, or a kill switch is engaged, it appears here.
            </EmptyState>
          }
        >
          {(data) => (
            <ul aria-label="Alerts" className="divide-y divide-slate-200">
              {data.pages
                .flatMap((page) => page.items)
                .map((alert) => (
                  <AlertRow key={alert.id} alert={alert} />
                ))}
            </ul>
          )}
        </QueryBoundary>
        {alerts.hasNextPage ? (
          <div className="border-t border-slate-200 px-5 py-3">
            <Button variant="secondary" onClick={() => void alerts.fetchNextPage()} disabled={alerts.isFetchingNextPage}>
              {alerts.isFetchingNextPage ? "Loading…" : "Show older alerts"}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

interface AlertItem {
  id: string;
  details: unknown;
  kind: string;
  severity: string;
  title: string;
  agentId: string | null;
  agentName: string | null;
  teamName: string | null;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

function AlertRow({ alert }: { alert: AlertItem }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const acknowledge = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() }),
    }),
  );
  const action = alertAction(org.slug, alert);
  const titleId = `alert-${alert.id}`;
  return (
    <li aria-labelledby={titleId} className="flex flex-wrap items-start gap-4 px-5 py-4">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={severityTone(alert.severity)}>{alert.severity}</Badge>
          <span className="text-xs font-medium text-slate-500">{kindLabel(alert.kind)}</span>
        </div>
        <p id={titleId} className="mt-1 font-medium text-slate-900">
          {alert.title}
        </p>
        {reasonOf(alert.details) ? <p className="mt-0.5 text-sm text-slate-700">{reasonOf(alert.details)}</p> : null}
        <p className="mt-0.5 text-xs text-slate-500">
          <LocalTime value={alert.createdAt} />
          {alert.agentName ? (
            <>
              {" · agent "}
              {alert.agentId ? (
                <Link className="text-brand-700 hover:underline" href={`/${org.slug}/agents/${alert.agentId}`}>
                  {alert.agentName}
                </Link>
              ) : (
                alert.agentName
              )}
            </>
          ) : null}
          {alert.teamName ? ` · team ${alert.teamName}` : ""}
          {alert.acknowledgedAt ? (
            <>
              {" · acknowledged by "}
              {alert.acknowledgedBy ?? "someone"} <LocalTime value={alert.acknowledgedAt} />
            </>
          ) : null}
        </p>
        {acknowledge.error ? (
          <div className="mt-2">
            <Alert tone="bad" title="Could not acknowledge">
              {errorMessage(acknowledge.error)}
            </Alert>
          </div>
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        {action ? (
          <Link className={buttonClass("secondary", "sm")} href={action.href}>
            {action.label}
          </Link>
        ) : null}
        {alert.acknowledgedAt ? null : (
          <Button size="sm" onClick={() => acknowledge.mutate({ orgId: org.orgId, alertId: alert.id })} disabled={acknowledge.isPending} aria-label={`Acknowledge: ${alert.title}`}>
            {acknowledge.isPending ? "Acknowledging…" : "Acknowledge"}
          </Button>
        )}
      </div>
    </li>
  );
}

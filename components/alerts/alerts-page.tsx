"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Alert, Badge, EmptyState, errorMessage, QueryError, Skeleton, Spinner } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { isAlertKind } from "@/server/domain/alerts/kinds";
import { alertAction, KIND_LABEL, kindLabel, reasonOf, severityTone } from "./present";

const PAGE = 50;
/** New alerts show up without a reload. */
const REFRESH_MS = 10_000;

type Status = "open" | "all";

export function AlertsPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const statusId = useId();
  const kindId = useId();
  const [status, setStatus] = useState<Status>("open");
  const [kind, setKind] = useState("");
  const alerts = useInfiniteQuery({
    ...trpc.alerts.list.infiniteQueryOptions(
      { orgId: org.orgId, status, limit: PAGE, ...(isAlertKind(kind) ? { kind } : {}) },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    refetchInterval: REFRESH_MS,
  });
  const rows = useMemo(() => alerts.data?.pages.flatMap((page) => page.items) ?? [], [alerts.data]);

  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          <>
            Budgets crossing their thresholds or running out, loops stopped automatically, kill switches engaged and released. Each alert is
            also sent to the organisation&apos;s webhooks (Settings → Webhooks). Acknowledge an alert once someone has looked at it.
            {org.role === "team_lead" ? " You see your teams' alerts and organisation-wide ones." : ""}
          </>
        }
      />
      <Card>
        <div className="flex flex-wrap items-end gap-4 border-b border-slate-200 px-5 py-3">
          <div className="w-56">
            <Field label="Show" htmlFor={statusId}>
              <Select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as Status)}>
                <option value="open">Not acknowledged</option>
                <option value="all">All alerts</option>
              </Select>
            </Field>
          </div>
          <div className="w-56">
            <Field label="Kind" htmlFor={kindId}>
              <Select id={kindId} value={kind} onChange={(event) => setKind(event.target.value)}>
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
        {alerts.isPending ? (
          <div className="space-y-3 px-5 py-4">
            <Spinner label="Loading alerts" />
            <Skeleton className="h-16 w-full" />
          </div>
        ) : alerts.error ? (
          <div className="p-5">
            <QueryError error={alerts.error} retry={() => void alerts.refetch()} />
          </div>
        ) : rows.length === 0 ? (
          <EmptyState title={status === "open" ? "No alerts need attention" : "No alerts yet"}>
            When a budget crosses a threshold or runs out, a loop is stopped, or a kill switch is engaged, it appears here.
          </EmptyState>
        ) : (
          <ul aria-label="Alerts" className="divide-y divide-slate-200">
            {rows.map((alert) => (
              <AlertRow key={alert.id} alert={alert} />
            ))}
          </ul>
        )}
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
          <Button
            size="sm"
            onClick={() => acknowledge.mutate({ orgId: org.orgId, alertId: alert.id })}
            disabled={acknowledge.isPending}
            aria-label={`Acknowledge: ${alert.title}`}
          >
            {acknowledge.isPending ? "Acknowledging…" : "Acknowledge"}
          </Button>
        )}
      </div>
    </li>
  );
}

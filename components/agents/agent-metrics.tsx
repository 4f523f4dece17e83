"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { AgentActivityChart } from "@/components/charts/agent-activity-chart";
import { AnomaliesCard } from "@/components/compliance/anomalies";
import { formatMs, formatTokens, metricRows } from "@/components/compliance/present";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, Skeleton } from "@/components/ui/feedback";
import { formatMicroUsd, formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { TabList } from "@/components/ui/tabs";
import { METRIC_WINDOWS, type MetricWindow } from "@/server/domain/compliance/schemas";

const WINDOW_LABELS: Record<MetricWindow, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" };

type Totals = RouterOutputs["anomalies"]["metrics"]["totals"];

/** The window's figures: label, value and a detail line. */
function figuresOf(totals: Totals): [string, string, string?][] {
  return [
    ["Calls", formatNumber(totals.calls), `${formatNumber(totals.llmCalls)} model, ${formatNumber(totals.toolCalls)} tool`],
    ["Tokens", `${formatTokens(totals.inputTokens)} in`, `${formatTokens(totals.outputTokens)} out`],
    ["Cost", formatMicroUsd(totals.costMicros)],
    ["Error rate", totals.errorRatePercent === null ? "–" : `${totals.errorRatePercent} %`, `${formatNumber(totals.errors)} errors in ${formatNumber(totals.events)} events`],
    ["Latency p50 / p95", `${formatMs(totals.p50Ms)} / ${formatMs(totals.p95Ms)}`],
    [
      "Cost per task",
      totals.costPerTaskMicros === null ? "–" : formatMicroUsd(totals.costPerTaskMicros, { precise: true }),
      `${formatNumber(totals.tasks)} tasks ended, ${formatNumber(totals.failedTasks)} failed`,
    ],
  ];
}

/** The agent's Metrics tab: figures over a window from the hourly rollups, a chart, and its anomalies. */
export function AgentMetrics({ agent }: { agent: { id: string; name: string } }) {
  const org = useOrg();
  const trpc = useTRPC();
  const [window, setWindow] = useState<MetricWindow>("7d");
  const metrics = useQuery(trpc.anomalies.metrics.queryOptions({ orgId: org.orgId, agentId: agent.id, window }));
  const rows = useMemo(() => (metrics.data ? metricRows(metrics.data.series, metrics.data.bucketHours) : []), [metrics.data]);
  return (
    <div className="space-y-5">
      <Card>
        <CardHeader
          title="Metrics"
          description={
            metrics.data ? (
              <>
                From the hourly rollups, <LocalTime value={metrics.data.from} /> to <LocalTime value={metrics.data.to} />.
              </>
            ) : (
              "From the hourly rollups."
            )
          }
          actions={<TabList tabs={METRIC_WINDOWS.map((id) => ({ id, label: WINDOW_LABELS[id] }))} current={window} onSelect={setWindow} label="Metrics window" idPrefix="metrics-window" />}
        />
        <QueryBoundary
          query={metrics}
          label="metrics"
          inset
          loading={
            <div className="grid grid-cols-2 gap-4 lg:grid-cols-6">
              {[0, 1, 2, 3, 4, 5].map((index) => (
                <Skeleton key={index} className="h-14" />
              ))}
            </div>
          }
        >
          {({ totals }) => (
            <>
              <dl className="grid grid-cols-2 gap-4 px-5 py-4 lg:grid-cols-6" aria-label={`Metrics, ${WINDOW_LABELS[window].toLowerCase()}`}>
                {figuresOf(totals).map(([label, value, detail]) => (
                  <div key={label}>
                    <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
                    <dd className="mt-1 text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
                    {detail ? <dd className="text-xs text-slate-500">{detail}</dd> : null}
                  </div>
                ))}
              </dl>
              {totals.events === 0 ? (
                <EmptyState title="No activity in this window">The agent reported no events in it.</EmptyState>
              ) : (
                <div className="px-4 pb-2">
                  <AgentActivityChart rows={rows} label={`${agent.name}: cost and error rate, ${WINDOW_LABELS[window].toLowerCase()}`} />
                </div>
              )}
            </>
          )}
        </QueryBoundary>
      </Card>
      <AnomaliesCard agent={agent} />
    </div>
  );
}

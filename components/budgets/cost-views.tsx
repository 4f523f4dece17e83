"use client";

import { useMemo, useState } from "react";
import { BudgetBurnChart } from "@/components/charts/budget-burn-chart";
import { StackedSpendChart } from "@/components/charts/stacked-spend-chart";
import { TaskCostChart } from "@/components/charts/task-cost-chart";
import { TopSpendersChart } from "@/components/charts/top-spenders-chart";
import type { RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { formatMicroUsd } from "@/components/ui/format";
import { monthToDate, stackedDaily, taskCostBars, topSpenders, type StackBy } from "./chart-data";
import { budgetName, type BudgetRow } from "./shared";

type Costs = RouterOutputs["budgets"]["costs"];

const DAY_MS = 86_400_000;

function Loading() {
  return (
    <div className="space-y-3 p-5" aria-busy="true">
      <Skeleton className="h-48 w-full" />
    </div>
  );
}

/** The cost charts: spend over time, month to date against a budget, top spenders, cost per task. */
export function CostViews({ costs, error, retry, budgets, orgName }: { costs: Costs | undefined; error: unknown; retry: () => void; budgets: readonly BudgetRow[]; orgName: string }) {
  if (error) {
    return (
      <div className="mt-6">
        <QueryError error={error} retry={retry} />
      </div>
    );
  }
  return (
    <div className="mt-6 grid gap-6 xl:grid-cols-2">
      <SpendOverTime costs={costs} />
      <MonthToDate costs={costs} budgets={budgets} orgName={orgName} />
      <TopSpenders costs={costs} />
      <CostPerTask costs={costs} />
    </div>
  );
}

function SpendOverTime({ costs }: { costs: Costs | undefined }) {
  const [by, setBy] = useState<StackBy>("team");
  const chart = useMemo(() => {
    if (!costs) return null;
    const from = new Date(Date.parse(`${costs.until}T00:00:00Z`) - 30 * DAY_MS).toISOString().slice(0, 10);
    return stackedDaily(costs.daily, { by, agents: costs.agents, teams: costs.teams, from, until: costs.until, maxSeries: 7 });
  }, [costs, by]);
  const total = chart?.series.reduce((sum, entry) => sum + entry.totalMicros, 0n) ?? 0n;
  return (
    <Card className="xl:col-span-2">
      <CardHeader
        title="Spend over time"
        description={`Daily spend, last 30 days (UTC days)${chart ? `: ${formatMicroUsd(total)} in all` : ""}.`}
        actions={
          <div className="w-44">
            <Field label="Stack by" htmlFor="spend-stack-by">
              <Select id="spend-stack-by" value={by} onChange={(event) => setBy(event.target.value as StackBy)}>
                <option value="team">Team</option>
                <option value="agent">Agent</option>
                <option value="model">Model</option>
              </Select>
            </Field>
          </div>
        }
      />
      {!chart ? <Loading /> : chart.series.length === 0 ? <EmptyState title="No spend in the last 30 days" /> : (
        <div className="p-4">
          <StackedSpendChart data={chart.data} series={chart.series} label={`Daily spend by ${by}, last 30 days`} />
        </div>
      )}
    </Card>
  );
}

function MonthToDate({ costs, budgets, orgName }: { costs: Costs | undefined; budgets: readonly BudgetRow[]; orgName: string }) {
  const monthly = budgets.filter((budget) => budget.period === "monthly");
  const [chosen, setChosen] = useState<string | null>(null);
  const budget = monthly.find((entry) => entry.id === chosen) ?? monthly[0] ?? null;
  const series = costs && budget ? monthToDate(costs.daily, budget, costs.agents, new Date()) : null;
  return (
    <Card>
      <CardHeader
        title="Month to date against budget"
        description={series && budget ? `${formatMicroUsd(series.spentMicros)} spent of ${formatMicroUsd(budget.limitMicros)}; ${formatMicroUsd(series.forecastMicros)} forecast by month end at this rate.` : "Cumulative spend this UTC month, the budget, and the run-rate forecast."}
        actions={
          monthly.length > 1 ? (
            <div className="w-52">
              <Field label="Budget" htmlFor="burn-budget">
                <Select id="burn-budget" value={budget?.id ?? ""} onChange={(event) => setChosen(event.target.value)}>
                  {monthly.map((entry) => (
                    <option key={entry.id} value={entry.id}>{budgetName(entry, orgName)}</option>
                  ))}
                </Select>
              </Field>
            </div>
          ) : null
        }
      />
      {!costs ? <Loading /> : !budget || !series ? <EmptyState title="No monthly budget to compare with" /> : (
        <div className="p-4">
          <BudgetBurnChart points={series.points} label={`Month to date against the monthly budget of ${budgetName(budget, orgName)}`} />
        </div>
      )}
    </Card>
  );
}

function TopSpenders({ costs }: { costs: Costs | undefined }) {
  const rows = useMemo(() => {
    if (!costs) return null;
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
    return topSpenders(costs.daily, costs.agents, costs.teams, monthStart, 10);
  }, [costs]);
  return (
    <Card>
      <CardHeader title="Top spenders" description="Agents by spend this UTC month." />
      {!rows ? <Loading /> : rows.length === 0 ? <EmptyState title="No spend this month yet" /> : (
        <div className="p-4">
          <TopSpendersChart rows={rows.map((row) => ({ name: row.name, cost: Number(row.costMicros) }))} label="Top spenders this month" />
          <table className="mt-3 w-full text-sm">
            <caption className="sr-only">Top spenders this month</caption>
            <thead>
              <tr className="text-left text-xs text-slate-500 uppercase">
                <th scope="col" className="py-1">Agent</th>
                <th scope="col" className="py-1">Team</th>
                <th scope="col" className="py-1 text-right">Spent</th>
                <th scope="col" className="py-1 text-right">Share</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.agentId} className="border-t border-slate-100">
                  <td className="py-1 font-medium text-slate-900">{row.name}</td>
                  <td className="py-1 text-slate-600">{row.teamName ?? "–"}</td>
                  <td className="py-1 text-right tabular-nums">{formatMicroUsd(row.costMicros)}</td>
                  <td className="py-1 text-right tabular-nums">{(row.sharePermille / 10).toFixed(1)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function CostPerTask({ costs }: { costs: Costs | undefined }) {
  const bars = useMemo(() => (costs ? taskCostBars(costs.tasks, costs.agents, 10) : null), [costs]);
  return (
    <Card className="xl:col-span-2">
      <CardHeader title="Cost per task" description="Events sharing a taskId make one task; per agent over the last 30 days: median, average and 90th percentile." />
      {!bars ? <Loading /> : bars.length === 0 ? <EmptyState title="No tasks with a cost in the last 30 days">Agents report a taskId on their events to appear here.</EmptyState> : (
        <div className="p-4">
          <TaskCostChart bars={bars} label="Cost per task by agent" />
          <p className="mt-2 text-xs text-slate-500">
            {bars.map((bar) => `${bar.agent}: ${bar.tasks} task${bar.tasks === 1 ? "" : "s"}`).join(" · ")}
          </p>
        </div>
      )}
    </Card>
  );
}

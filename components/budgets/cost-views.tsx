"use client";

import { useMemo, useState, type ReactNode } from "react";
import { BudgetBurnChart } from "@/components/charts/budget-burn-chart";
import { StackedSpendChart } from "@/components/charts/stacked-spend-chart";
import { TaskCostChart } from "@/components/charts/task-cost-chart";
import { TopSpendersChart } from "@/components/charts/top-spenders-chart";
import type { RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, Skeleton } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { formatMicroUsd } from "@/components/ui/format";
import { QueryBoundary, type QueryView } from "@/components/ui/query-boundary";
import { monthToDate, stackedDaily, taskCostBars, topSpenders, type StackBy } from "./chart-data";
import { budgetName, type BudgetRow } from "./shared";
import { SpendersTable } from "./spenders-table";

type Costs = RouterOutputs["budgets"]["costs"];

const DAY_MS = 86_400_000;

/**
 * The cost charts: spend over time, month to date against a budget, top spenders, cost per task.
 * `now` is the moment the budgets were read (from the server), so the server's render and the
 * browser's agree on the forecast to the micro-dollar.
 */
export function CostViews({ costs, budgets, now, orgName, base }: { costs: QueryView<Costs>; budgets: readonly BudgetRow[]; now: Date | undefined; orgName: string; base: string }) {
  return (
    <div className="mt-6">
      <QueryBoundary query={costs} label="the cost charts" loading={<LoadingCharts />}>
        {(data) => (
          <div className="grid items-start gap-6 xl:grid-cols-2">
            <SpendOverTime costs={data} />
            <MonthToDate costs={data} budgets={budgets} now={now} orgName={orgName} />
            <TopSpenders costs={data} base={base} />
            <CostPerTask costs={data} />
          </div>
        )}
      </QueryBoundary>
    </div>
  );
}

function LoadingCharts() {
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      {["xl:col-span-2", "", "", "xl:col-span-2"].map((span, index) => (
        <Card key={index} className={span}>
          <div className="p-5">
            <Skeleton className="h-4 w-48" />
            <Skeleton className="mt-4 h-48 w-full" />
          </div>
        </Card>
      ))}
    </div>
  );
}

/** A chart card: its heading, and the chart or what stands in for it when there is nothing to draw. */
function ChartCard({ title, description, actions, className, children }: { title: string; description: ReactNode; actions?: ReactNode; className?: string; children: ReactNode }) {
  return (
    <Card className={className}>
      <CardHeader title={title} description={description} actions={actions} />
      {children}
    </Card>
  );
}

function SpendOverTime({ costs }: { costs: Costs }) {
  const [by, setBy] = useState<StackBy>("team");
  const chart = useMemo(() => {
    const from = new Date(Date.parse(`${costs.until}T00:00:00Z`) - 30 * DAY_MS).toISOString().slice(0, 10);
    return stackedDaily(costs.daily, { by, agents: costs.agents, teams: costs.teams, from, until: costs.until, maxSeries: 7 });
  }, [costs, by]);
  const total = chart.series.reduce((sum, entry) => sum + entry.totalMicros, 0n);
  return (
    <ChartCard
      className="xl:col-span-2"
      title="Spend over time"
      description={`Daily spend, last 30 days (UTC days): ${formatMicroUsd(total)} in all.`}
      actions={
        <div className="w-44">
          <Field label="Stack by" htmlFor="spend-stack-by">
            <Select
              id="spend-stack-by"
              value={by}
              onChange={(event) => setBy(event.target.value as StackBy)}
              options={[
                { value: "team", label: "Team" },
                { value: "agent", label: "Agent" },
                { value: "model", label: "Model" },
              ]}
            />
          </Field>
        </div>
      }
    >
      {chart.series.length === 0 ? (
        <EmptyState title="No spend in the last 30 days" />
      ) : (
        <div className="p-4">
          <StackedSpendChart data={chart.data} series={chart.series} label={`Daily spend by ${by}, last 30 days`} />
        </div>
      )}
    </ChartCard>
  );
}

function MonthToDate({ costs, budgets, now, orgName }: { costs: Costs; budgets: readonly BudgetRow[]; now: Date | undefined; orgName: string }) {
  const monthly = budgets.filter((budget) => budget.period === "monthly");
  const [chosen, setChosen] = useState<string | null>(null);
  const budget = monthly.find((entry) => entry.id === chosen) ?? monthly[0] ?? null;
  const series = budget && now ? monthToDate(costs.daily, budget, costs.agents, new Date(now)) : null;
  return (
    <ChartCard
      title="Month to date against budget"
      description={
        series && budget
          ? `${formatMicroUsd(series.spentMicros)} spent of ${formatMicroUsd(budget.limitMicros)}; ${formatMicroUsd(series.forecastMicros)} forecast by month end at this rate.`
          : "Cumulative spend this UTC month, the budget, and the run-rate forecast."
      }
      actions={
        monthly.length > 1 ? (
          <div className="w-52">
            <Field label="Budget" htmlFor="burn-budget">
              <Select id="burn-budget" value={budget?.id ?? ""} onChange={(event) => setChosen(event.target.value)}>
                {monthly.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {budgetName(entry, orgName)}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null
      }
    >
      {!budget || !series ? (
        <EmptyState title="No monthly budget to compare with" />
      ) : (
        <div className="p-4">
          <BudgetBurnChart points={series.points} label={`Month to date against the monthly budget of ${budgetName(budget, orgName)}`} />
        </div>
      )}
    </ChartCard>
  );
}

function TopSpenders({ costs, base }: { costs: Costs; base: string }) {
  const rows = useMemo(() => {
    // The month of the last day the figures cover (`until` is the day after it), in UTC like every period.
    const lastDay = new Date(Date.parse(`${costs.until}T00:00:00Z`) - DAY_MS);
    const monthStart = new Date(Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth(), 1)).toISOString().slice(0, 10);
    return topSpenders(costs.daily, costs.agents, costs.teams, monthStart, 10);
  }, [costs]);
  return (
    <ChartCard title="Top spenders" description="Agents by spend this UTC month.">
      {rows.length === 0 ? (
        <EmptyState title="No spend this month yet" />
      ) : (
        <>
          <div className="p-4">
            <TopSpendersChart rows={rows.map((row) => ({ name: row.name, cost: Number(row.costMicros) }))} label="Top spenders this month" />
          </div>
          <SpendersTable rows={rows} base={base} caption="Top spenders this month" />
        </>
      )}
    </ChartCard>
  );
}

function CostPerTask({ costs }: { costs: Costs }) {
  const bars = useMemo(() => taskCostBars(costs.tasks, costs.agents, 10), [costs]);
  return (
    <ChartCard className="xl:col-span-2" title="Cost per task" description="Events sharing a taskId make one task; per agent over the last 30 days: median, average and 90th percentile.">
      {bars.length === 0 ? (
        <EmptyState title="No tasks with a cost in the last 30 days">Agents report a taskId on their events to appear here.</EmptyState>
      ) : (
        <div className="p-4">
          <TaskCostChart bars={bars} label="Cost per task by agent" />
          <p className="mt-2 text-xs text-slate-500">{bars.map((bar) => `${bar.agent}: ${bar.tasks} task${bar.tasks === 1 ? "" : "s"}`).join(" · ")}</p>
        </div>
      )}
    </ChartCard>
  );
}

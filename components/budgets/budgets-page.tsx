"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Badge, EmptyState, errorMessage } from "@/components/ui/feedback";
import { formatMicroUsd, formatUtcDay } from "@/components/ui/format";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { FormError } from "@/components/ui/form";
import { percentUsed } from "@/server/domain/budget/arithmetic";
import { BudgetFormDialog } from "./budget-form";
import { CostViews } from "./cost-views";
import { DialogShell, budgetName, type BudgetRow } from "./shared";

const money = (micros: bigint) => formatMicroUsd(micros);

/** The UTC day a period ends on ("YYYY-MM-DD"), from its exclusive end. */
const lastDayOf = (periodEnd: Date | string) => new Date(new Date(periodEnd).getTime() - 1).toISOString().slice(0, 10);

function UsageBar({ budget, name }: { budget: BudgetRow; name: string }) {
  const spent = percentUsed(budget.limitMicros, budget.spentMicros);
  const reserved = percentUsed(budget.limitMicros, budget.reservedMicros);
  const spentWidth = Math.min(100, spent);
  const reservedWidth = Math.min(100 - spentWidth, reserved);
  const tone = budget.exhausted || spent >= 100 ? "bg-red-500" : spent >= 80 ? "bg-amber-500" : "bg-brand-600";
  return (
    <div className="w-28">
      <div
        role="progressbar"
        aria-label={`${name} ${budget.period} budget used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(spent, 100))}
        aria-valuetext={`${spent} % spent, ${reserved} % reserved`}
        className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={tone} style={{ width: `${spentWidth}%` }} />
        <div className="bg-slate-400" style={{ width: `${reservedWidth}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-500 tabular-nums">
        {spent} % spent{reserved > 0 ? ` · ${reserved} % reserved` : ""}
      </p>
    </div>
  );
}

export function BudgetsPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canWrite = useCan("budgets:write");
  const isLead = org.role === "team_lead";
  const list = useQuery(trpc.budgets.list.queryOptions({ orgId: org.orgId }));
  const costs = useQuery(trpc.budgets.costs.queryOptions({ orgId: org.orgId }));
  const [editing, setEditing] = useState<BudgetRow | "new" | null>(null);
  const [deleting, setDeleting] = useState<BudgetRow | null>(null);

  const mayChange = (budget: BudgetRow) => canWrite && (!isLead || budget.scope === "agent");
  const budgets = list.data?.budgets ?? [];

  const columns: Column<BudgetRow>[] = [
    {
      key: "name",
      header: "Budget",
      sortValue: (budget) => `${budget.scope === "org" ? 0 : budget.scope === "team" ? 1 : 2} ${budgetName(budget, org.name)}`,
      render: (budget) => (
        <div>
          <p className="font-medium text-slate-900">{budgetName(budget, org.name)}</p>
          <p className="text-xs text-slate-500">{budget.scope === "agent" ? `Agent${budget.teamName ? ` · ${budget.teamName}` : ""}` : budget.scope === "team" ? "Team" : "Organisation"}</p>
        </div>
      ),
    },
    {
      key: "period",
      header: "Period",
      sortValue: (budget) => `${budget.period} ${budget.mode}`,
      render: (budget) => (
        // Periods are UTC days and months: the last day they count, not a time in the viewer's zone.
        <div className="space-y-1 text-sm whitespace-nowrap">
          <p>
            <span className="capitalize">{budget.period}</span>
            <span className="text-xs text-slate-500">
              {" "}
              · {budget.period === "daily" ? "" : "to "}
              {formatUtcDay(lastDayOf(budget.periodEnd))}
            </span>
          </p>
          {budget.mode === "hard" ? <Badge tone="info">Hard cap</Badge> : <Badge>Soft (alerts)</Badge>}
          {budget.thresholds.length > 0 ? <p className="text-xs text-slate-500">alerts at {budget.thresholds.join(", ")} %</p> : null}
        </div>
      ),
    },
    {
      key: "limit",
      header: "Limit",
      className: "text-right",
      sortValue: (budget) => Number(budget.limitMicros),
      render: (budget) => (
        <span className="whitespace-nowrap tabular-nums">
          {money(budget.limitMicros)}
          <span className={budget.remainingMicros === 0n ? "block text-xs font-medium text-red-700" : "block text-xs text-slate-500"}>{money(budget.remainingMicros)} left</span>
        </span>
      ),
    },
    {
      key: "spent",
      header: "Spent",
      className: "text-right",
      sortValue: (budget) => Number(budget.spentMicros),
      render: (budget) => (
        // Reserved: held by allowed decisions whose events have not settled them yet.
        <span className="whitespace-nowrap tabular-nums">
          {money(budget.spentMicros)}
          {budget.reservedMicros > 0n ? <span className="block text-xs text-slate-500">+ {money(budget.reservedMicros)} reserved</span> : null}
        </span>
      ),
    },
    {
      key: "forecast",
      header: "Forecast",
      className: "text-right",
      sortValue: (budget) => Number(budget.forecastMicros),
      render: (budget) => (
        <span
          title={`Linear run rate to the end of the ${budget.period === "daily" ? "day" : "month"} (UTC)`}
          className={budget.forecastMicros > budget.limitMicros ? "font-medium whitespace-nowrap text-amber-700 tabular-nums" : "whitespace-nowrap tabular-nums"}
        >
          {money(budget.forecastMicros)}
          <span className="block text-xs font-normal text-slate-500">{budget.period === "daily" ? "by day end" : "by month end"}</span>
        </span>
      ),
    },
    {
      key: "usage",
      header: "Used",
      sortValue: (budget) => percentUsed(budget.limitMicros, budget.spentMicros),
      render: (budget) => (
        <div className="space-y-1 whitespace-nowrap">
          <UsageBar budget={budget} name={budgetName(budget, org.name)} />
          <div className="flex flex-wrap gap-1">
            {budget.exhausted ? <Badge tone="bad">Exhausted: agents halted</Badge> : null}
            {budget.thresholdsReached.map((percent) => (
              <Badge key={percent} tone={percent >= 100 ? "bad" : percent >= 80 ? "warn" : "neutral"}>
                {percent} % crossed
              </Badge>
            ))}
          </div>
        </div>
      ),
    },
  ];
  if (canWrite) {
    columns.push({
      key: "actions",
      header: "Actions",
      className: "text-right",
      render: (budget) =>
        mayChange(budget) ? (
          <div className="-my-1 flex justify-end gap-1">
            <Button variant="ghost" size="sm" aria-label={`Edit ${budget.period} budget of ${budgetName(budget, org.name)}`} onClick={() => setEditing(budget)}>
              Edit
            </Button>
            <Button variant="ghost" size="sm" aria-label={`Delete ${budget.period} budget of ${budgetName(budget, org.name)}`} onClick={() => setDeleting(budget)}>
              Delete
            </Button>
          </div>
        ) : null,
    });
  }

  return (
    <div>
      <PageHeader
        title="Budgets"
        description={
          isLead
            ? "Your teams' budgets and their agents'. Split your team's budget among its agents; hard caps block spending that would go over, and hold however many calls race."
            : "Spending caps on the organisation, its teams and its agents. Hard caps block a decision that would go over (and halt agents whose budget is spent); soft budgets only alert. Periods are UTC days and months."
        }
        actions={
          canWrite ? (
            <Button onClick={() => setEditing("new")} disabled={!costs.data || !list.data}>
              {isLead ? "Allocate to an agent" : "New budget"}
            </Button>
          ) : null
        }
      />

      <Card>
        <CardHeader title="Budgets this period" description="Spent comes from reported events; reserved is held by allowed decisions not yet settled." />
        <QueryBoundary query={list} label="budgets" inset>
          {() => (
            <DataTable
              rows={budgets}
              columns={columns}
              rowKey={(budget) => budget.id}
              caption="Budgets"
              empty={
                <EmptyState title="No budgets yet">
                  {canWrite
                    ? isLead
                      ? "An owner or admin sets your team's budget; then split it among your agents here."
                      : "Create one: nothing caps spending until you do."
                    : "Owners and admins set budgets."}
                </EmptyState>
              }
            />
          )}
        </QueryBoundary>
      </Card>

      <CostViews costs={costs} budgets={budgets} now={list.data?.now} orgName={org.name} base={`/${org.slug}`} />

      {editing !== null && costs.data && list.data ? (
        <BudgetFormDialog budget={editing === "new" ? null : editing} budgets={budgets} agents={costs.data.agents} teams={costs.data.teams} onClose={() => setEditing(null)} />
      ) : null}
      {deleting ? <DeleteBudgetDialog budget={deleting} onClose={() => setDeleting(null)} /> : null}
    </div>
  );
}

function DeleteBudgetDialog({ budget, onClose }: { budget: BudgetRow; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.budgets.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.budgets.list.queryKey({ orgId: org.orgId }) });
        onClose();
      },
    }),
  );
  const name = budgetName(budget, org.name);
  return (
    <DialogShell title={`Delete the ${budget.period} budget of ${name}?`} onClose={onClose}>
      <p className="text-sm text-slate-600">
        Nothing will cap {name}&apos;s {budget.period} spending any more. This is recorded in the audit log.
      </p>
      <div className="mt-3">
        <FormError message={remove.error ? errorMessage(remove.error) : null} />
      </div>
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ orgId: org.orgId, budgetId: budget.id })}>
          {remove.isPending ? "Deleting…" : "Delete budget"}
        </Button>
      </div>
    </DialogShell>
  );
}

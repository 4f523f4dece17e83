"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { Field, Input, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { FRAMEWORKS, RISK_CLASSES, RISK_CLASS_LABELS, frameworkLabel } from "@/server/domain/compliance/catalogue";
import type { ControlStatus } from "@/server/domain/compliance/status";
import { useEvaluation } from "./evaluation";
import { filterMatrix, NO_FILTERS, STATUS_MARK, statusLabel, type MatrixFilters } from "./present";

type Matrix = RouterOutputs["compliance"]["matrix"];

const CELL: Record<ControlStatus, string> = {
  met: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  gap: "bg-red-50 text-red-700 ring-red-200",
  not_assessed: "bg-slate-100 text-slate-600 ring-slate-200",
  not_applicable: "text-slate-300 ring-transparent",
};

export function RiskBadge({ riskClass }: { riskClass: string | null }) {
  if (!riskClass) return <Badge tone="neutral">Not classified</Badge>;
  const tone = riskClass === "prohibited" ? "bad" : riskClass === "high" ? "warn" : riskClass === "limited" ? "info" : "good";
  return <Badge tone={tone}>{RISK_CLASS_LABELS[riskClass as keyof typeof RISK_CLASS_LABELS] ?? riskClass}</Badge>;
}

/** Agents × controls, gaps first; filterable by framework, risk class, name and gaps. */
export function CoverageMatrixCard() {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const matrix = useQuery(trpc.compliance.matrix.queryOptions({ orgId: org.orgId }));
  const [filters, setFilters] = useState<MatrixFilters>(NO_FILTERS);
  const evaluation = useEvaluation("Re-evaluate all");

  return (
    <Card>
      <CardHeader
        title="Coverage matrix"
        description={
          <>
            Every agent against the controls of the EU AI Act, GDPR, ISO/IEC 42001, NIST AI RMF and SOC 2, each evidenced from Agentry&apos;s own state. Gaps first.{" "}
            {matrix.data?.lastEvaluatedAt ? (
              <>
                Last evaluated <LocalTime value={matrix.data.lastEvaluatedAt} />.
              </>
            ) : (
              "Not evaluated yet."
            )}
          </>
        }
        actions={evaluation.action}
      />
      {evaluation.failure}
      <form className="grid grid-cols-1 gap-4 border-b border-slate-200 px-5 py-4 sm:grid-cols-2 lg:grid-cols-5" aria-label="Filter the coverage matrix" onSubmit={(event) => event.preventDefault()}>
        <Field label="Framework" htmlFor={`${id}-framework`}>
          <Select id={`${id}-framework`} value={filters.framework} onChange={(event) => setFilters({ ...filters, framework: event.target.value })}>
            <option value="">All frameworks</option>
            {FRAMEWORKS.map((framework) => (
              <option key={framework.id} value={framework.id}>
                {framework.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Risk class" htmlFor={`${id}-risk`}>
          <Select id={`${id}-risk`} value={filters.riskClass} onChange={(event) => setFilters({ ...filters, riskClass: event.target.value })}>
            <option value="">Any</option>
            {RISK_CLASSES.map((riskClass) => (
              <option key={riskClass} value={riskClass}>
                {RISK_CLASS_LABELS[riskClass]}
              </option>
            ))}
            <option value="unclassified">Not classified</option>
          </Select>
        </Field>
        <Field label="Agent" htmlFor={`${id}-search`}>
          <Input id={`${id}-search`} value={filters.search} onChange={(event) => setFilters({ ...filters, search: event.target.value })} placeholder="Name contains…" />
        </Field>
        <Field label="Order" htmlFor={`${id}-sort`}>
          <Select id={`${id}-sort`} value={filters.sort} onChange={(event) => setFilters({ ...filters, sort: event.target.value as MatrixFilters["sort"] })}>
            <option value="gaps">Most gaps first</option>
            <option value="risk">Highest risk first</option>
            <option value="name">By name</option>
          </Select>
        </Field>
        <div className="flex items-end pb-2">
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={filters.onlyGaps} onChange={(event) => setFilters({ ...filters, onlyGaps: event.target.checked })} className="h-4 w-4 rounded border-slate-300" />
            Only agents with gaps
          </label>
        </div>
      </form>
      <QueryBoundary
        query={matrix}
        label="the coverage matrix"
        inset
        isEmpty={(data) => data.agents.length === 0}
        empty={<EmptyState title="No agents yet">Agents appear here once they are registered or report in.</EmptyState>}
      >
        {(data) => <MatrixView matrix={data} filters={filters} />}
      </QueryBoundary>
    </Card>
  );
}

/** The matrix as filtered: a legend with the totals, then agents × controls. */
function MatrixView({ matrix, filters }: { matrix: Matrix; filters: MatrixFilters }) {
  const org = useOrg();
  const view = useMemo(() => filterMatrix(matrix, filters), [matrix, filters]);
  const totals = matrix.agents.reduce((sum, agent) => ({ gaps: sum.gaps + agent.gaps, met: sum.met + agent.met, notAssessed: sum.notAssessed + agent.notAssessed }), { gaps: 0, met: 0, notAssessed: 0 });
  if (view.agents.length === 0) return <EmptyState title="No agent matches these filters">Change or clear the filters.</EmptyState>;
  return (
    <>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3 text-xs text-slate-600" aria-label="Legend">
        {(["gap", "not_assessed", "met", "not_applicable"] as const).map((status) => (
          <span key={status} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={cn("grid h-5 w-5 place-items-center rounded text-[11px] font-semibold ring-1 ring-inset", CELL[status])}>
              {STATUS_MARK[status]}
            </span>
            {statusLabel(status)}
          </span>
        ))}
        <span className="ml-auto tabular-nums">
          {totals.gaps} gaps · {totals.notAssessed} not assessed · {totals.met} met
        </span>
      </div>
      <div className="max-h-[70vh] overflow-auto border-t border-slate-200">
        <table className="text-sm">
          <caption className="sr-only">Coverage of controls by agent, gaps first</caption>
          <thead className="sticky top-0 z-10 bg-slate-50">
            <tr>
              <th scope="col" className="sticky left-0 z-20 min-w-56 bg-slate-50 px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                Agent
              </th>
              <th scope="col" className="px-2 py-2 text-right text-xs font-semibold tracking-wide text-slate-600 uppercase">
                Gaps
              </th>
              {view.controls.map((control) => (
                <th
                  key={control.id}
                  scope="col"
                  className="px-1 py-2 align-bottom text-[11px] font-medium whitespace-nowrap text-slate-600"
                  title={`${frameworkLabel(control.framework)} ${control.ref}: ${control.title}`}
                >
                  <abbr title={`${frameworkLabel(control.framework)} ${control.ref}: ${control.title}`} className="no-underline [writing-mode:vertical-rl] rotate-180">
                    {control.id}
                  </abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.agents.map((agent) => (
              <tr key={agent.id} className="hover:bg-slate-50/60">
                <th scope="row" className="sticky left-0 bg-white px-4 py-1.5 text-left font-normal">
                  <Link href={`/${org.slug}/agents/${agent.id}?tab=compliance`} className="font-medium text-brand-700 hover:underline">
                    {agent.name}
                  </Link>
                  <span className="ml-2">
                    <RiskBadge riskClass={agent.riskClass} />
                  </span>
                </th>
                <td className={cn("px-2 py-1.5 text-right font-medium tabular-nums", agent.gapsShown > 0 ? "text-red-700" : "text-slate-400")}>{agent.gapsShown}</td>
                {agent.statuses.map((status, index) => {
                  const control = view.controls[index];
                  return (
                    <td key={control?.id ?? index} className="px-1 py-1.5 text-center">
                      <span
                        role="img"
                        aria-label={`${control?.id}: ${statusLabel(status)}`}
                        title={`${control?.id} (${control?.title}): ${statusLabel(status)}`}
                        className={cn("inline-grid h-6 w-6 place-items-center rounded text-xs font-semibold ring-1 ring-inset", CELL[status])}
                      >
                        {STATUS_MARK[status]}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

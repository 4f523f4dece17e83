"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Badge, EmptyState } from "@/components/ui/feedback";
import { formatUtcDay } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { annexAreaLabel, frameworkLabel } from "@/server/domain/compliance/catalogue";
import { ClassifyForm } from "./classify-form";
import { RiskBadge } from "./coverage-matrix";
import { useEvaluation } from "./evaluation";
import { EvidenceExportCard } from "./evidence-export";
import { IncidentsCard } from "./incidents";
import { STATUS_TONE, statusLabel } from "./present";

type View = NonNullable<RouterOutputs["compliance"]["agent"]>;

/** An agent's Compliance tab: class and why, data declared and observed, controls with evidence, calendar, incidents. */
export function AgentCompliance({ agent }: { agent: { id: string; name: string } }) {
  const org = useOrg();
  const trpc = useTRPC();
  const view = useQuery(trpc.compliance.agent.queryOptions({ orgId: org.orgId, agentId: agent.id }));
  const canExport = useCan("audit:read");
  return (
    <QueryBoundary query={view} label="compliance" skeleton={["h-32 w-full", "h-64 w-full"]}>
      {(data) =>
        // Null only if the agent went away between the check and the read.
        data === null ? (
          <EmptyState title="No such agent">It may have been removed.</EmptyState>
        ) : (
          <div className="grid grid-cols-1 gap-5 xl:grid-cols-3">
            <div className="space-y-5 xl:col-span-2">
              <Classification view={data} />
              <Controls view={data} />
              <IncidentsCard agent={agent} title={`Incidents of ${agent.name}`} />
            </div>
            <div className="space-y-5">
              <DataCategories view={data} />
              <Calendar view={data} />
              {canExport ? <EvidenceExportCard fixedAgent={agent} compact /> : null}
            </div>
          </div>
        )
      }
    </QueryBoundary>
  );
}

function Classification({ view }: { view: View }) {
  const canWrite = useCan("compliance:write");
  const [open, setOpen] = useState(false);
  const { classification } = view;
  return (
    <Card>
      <CardHeader
        title="EU AI Act risk class"
        actions={
          canWrite ? (
            <Button onClick={() => setOpen(true)} variant={classification.riskClass ? "secondary" : "primary"}>
              {classification.riskClass ? "Change classification" : "Classify"}
            </Button>
          ) : null
        }
      />
      <div className="space-y-2 px-5 py-4 text-sm">
        <p className="flex flex-wrap items-center gap-2">
          <RiskBadge riskClass={classification.riskClass} />
          {classification.annexArea ? <span className="text-slate-600">Annex area: {annexAreaLabel(classification.annexArea)}</span> : null}
        </p>
        {classification.reason ? (
          <p className="text-slate-700">
            <span className="font-medium">Why: </span>
            {classification.reason}
          </p>
        ) : (
          <p className="text-slate-500">Nobody has classified this agent yet. Until then, the controls of its class cannot apply.</p>
        )}
        {classification.assessedAt ? (
          <p className="text-xs text-slate-500">
            Decided by {classification.assessedBy}, <LocalTime value={classification.assessedAt} />
            {classification.suggestion ? ` · the questionnaire suggested ${classification.suggestion.riskClass}` : ""}
          </p>
        ) : null}
      </div>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        size="lg"
        title={`Classify ${view.agent.name}`}
        description="Answer the questions; the suggestion shows its reasoning. You decide the class, and say why."
      >
        <ClassifyForm
          agent={view.agent}
          initial={{ riskClass: classification.riskClass, annexArea: classification.annexArea, reason: classification.reason, dataCategories: view.data.declared, questionnaire: classification.questionnaire }}
          onDone={() => setOpen(false)}
        />
      </Dialog>
    </Card>
  );
}

function DataCategories({ view }: { view: View }) {
  const { declared, observed, undeclared } = view.data;
  return (
    <Card>
      <CardHeader title="Data categories" description="Declared on the agent, and observed: what redaction found in its events." />
      <dl className="space-y-3 px-5 py-4 text-sm">
        <div>
          <dt className="mb-1 font-medium text-slate-600">Declared</dt>
          <dd className="flex flex-wrap gap-1.5">{declared.length ? declared.map((category) => <Badge key={category}>{category}</Badge>) : <span className="text-slate-400">None</span>}</dd>
        </div>
        <div>
          <dt className="mb-1 font-medium text-slate-600">Observed</dt>
          <dd className="flex flex-wrap gap-1.5">
            {observed.length ? (
              observed.map((category) => (
                <Badge key={category} tone={undeclared.includes(category) ? "bad" : "good"}>
                  {category}
                </Badge>
              ))
            ) : (
              <span className="text-slate-400">Nothing found so far</span>
            )}
          </dd>
        </div>
      </dl>
      {undeclared.length > 0 ? (
        <div className="px-5 pb-4">
          <Alert tone="bad" title={`Observed but not declared: ${undeclared.join(", ")}`}>
            Redaction found these in the agent&apos;s events. Declare them (and check the agent should see them), or stop the data reaching it.
          </Alert>
        </div>
      ) : null}
    </Card>
  );
}

function Controls({ view }: { view: View }) {
  const evaluation = useEvaluation("Re-evaluate now", view.agent.id);
  const gaps = view.controls.filter((control) => control.status === "gap").length;
  return (
    <Card>
      <CardHeader
        title="Controls it needs"
        description={`${view.controls.length} controls apply to ${view.agent.name}; ${gaps} ${gaps === 1 ? "is a gap" : "are gaps"}. Each is evidenced from Agentry's own state; a control never evaluated is never met.`}
        actions={evaluation.action}
      />
      {evaluation.failure}
      {view.controls.length === 0 ? (
        <EmptyState title="No control applies yet">Classify the agent and declare its data: the controls of its class and data then apply.</EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-slate-100" aria-label="Controls with a gap or not assessed">
            {view.controls
              .filter((control) => control.status !== "met")
              .map((control) => (
                <ControlItem key={control.id} control={control} />
              ))}
          </ul>
          {view.controls.some((control) => control.status === "met") ? (
            <details className="border-t border-slate-200">
              <summary className="cursor-pointer px-5 py-3 text-sm font-medium text-emerald-700 hover:bg-slate-50">
                {view.controls.filter((control) => control.status === "met").length} controls met — show them with their evidence
              </summary>
              <ul className="divide-y divide-slate-100 border-t border-slate-100" aria-label="Controls met">
                {view.controls
                  .filter((control) => control.status === "met")
                  .map((control) => (
                    <ControlItem key={control.id} control={control} />
                  ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </Card>
  );
}

function ControlItem({ control }: { control: View["controls"][number] }) {
  return (
    <li className="px-5 py-3 text-sm" aria-label={`${control.id} ${control.title}: ${statusLabel(control.status)}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium text-slate-900">
            {frameworkLabel(control.framework)} {control.ref} · {control.title} <span className="ml-1 font-mono text-xs font-normal text-slate-500">{control.id}</span>
          </p>
          <p className="text-slate-600">{control.summary}</p>
          <p className="mt-0.5 text-xs text-slate-500">
            Check: {control.checkLabel} ·{" "}
            {control.evaluatedAt ? (
              <>
                last evaluated <LocalTime value={control.evaluatedAt} />
              </>
            ) : (
              "never evaluated"
            )}
          </p>
          <Evidence evidence={control.evidence} />
        </div>
        <Badge tone={STATUS_TONE[control.status]}>{statusLabel(control.status)}</Badge>
      </div>
    </li>
  );
}

function Evidence({ evidence }: { evidence: Record<string, unknown> | null }) {
  if (!evidence) return null;
  const refs = Array.isArray(evidence.auditEntries) ? (evidence.auditEntries as { seq: number; hash: string; action: string }[]) : [];
  const { auditEntries: _refs, summary: _summary, because, check: _check, ...rest } = evidence;
  return (
    <details className="mt-1 text-xs text-slate-600">
      <summary className="cursor-pointer text-brand-700 hover:underline">Evidence</summary>
      <p className="mt-1">{String(because ?? "")}</p>
      <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] whitespace-pre-wrap text-slate-700">{JSON.stringify(rest, null, 2)}</pre>
      {refs.length > 0 ? (
        <ul className="mt-1 space-y-0.5" aria-label="Audit entries behind it">
          {refs.map((ref) => (
            <li key={ref.seq} className="font-mono text-[11px]">
              #{ref.seq} {ref.action} <span className="text-slate-400">{ref.hash}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

function Calendar({ view }: { view: View }) {
  const format = (day: string) => formatUtcDay(day, "long");
  const now = view.calendar.filter((entry) => entry.inForce);
  const later = view.calendar.filter((entry) => !entry.inForce);
  return (
    <Card>
      <CardHeader title="Obligations calendar" description="What applies to this agent now, and what applies from which date (EU AI Act dates as amended in 2026)." />
      {view.calendar.length === 0 ? (
        <EmptyState title="No obligations yet">Classify the agent to see what applies to it.</EmptyState>
      ) : (
        <div className="space-y-4 px-5 py-4 text-sm">
          <section aria-label="Applies now">
            <h3 className="mb-1 font-semibold text-slate-900">Applies now ({now.length})</h3>
            <ul className="space-y-0.5 text-slate-700">
              {now.map((entry) => (
                <li key={entry.controlId}>
                  {frameworkLabel(entry.framework)} {entry.ref} · {entry.title}
                  {entry.from ? <span className="text-xs text-slate-500"> (since {format(entry.from)})</span> : null}
                </li>
              ))}
            </ul>
          </section>
          {later.length > 0 ? (
            <section aria-label="Applies later">
              <h3 className="mb-1 font-semibold text-slate-900">Applies later</h3>
              <ul className="space-y-0.5 text-slate-700">
                {later.map((entry) => (
                  <li key={entry.controlId}>
                    <span className="font-medium">from {format(entry.from ?? "")}</span>: {frameworkLabel(entry.framework)} {entry.ref} · {entry.title}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      )}
    </Card>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import type { z } from "zod";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Input, NamedSelect, Select } from "@/components/ui/form";
import { useFormCheck } from "@/components/ui/form-check";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { useNow } from "@/components/ui/use-now";
import { SERIOUS_INCIDENT_KINDS, SERIOUS_INCIDENT_LABELS, type SeriousIncidentKind } from "@/server/domain/compliance/catalogue";
import { classifyIncidentSchema, closeIncidentSchema, INCIDENT_SEVERITIES, openIncidentSchema, reportIncidentSchema, type IncidentSeverity } from "@/server/domain/compliance/schemas";
import { clockText, liveClock } from "./present";

type Incident = RouterOutputs["incidents"]["list"][number];

const SEVERITY_TONE = { low: "neutral", medium: "info", high: "warn", critical: "bad" } as const;
const SOURCE_LABEL: Record<string, string> = { kill_switch: "Kill switch", loop_halt: "Loop halt", rollback: "Rollback", anomaly: "Anomaly", person: "Opened by a person" };

function useInvalidateCompliance() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.compliance.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.anomalies.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.overview.pathKey() }),
    ]);
}

/** A change to one incident, ready to send: the org is added, and the compliance views refresh after it. */
interface IncidentChange<Input> {
  mutate: (input: Input) => void;
  isPending: boolean;
  error: unknown;
}

/** The changes a person makes to an incident (classify, mark reported, close); `onDone` runs once one is saved. */
function useIncidentChanges(onDone: () => void) {
  const org = useOrg();
  const trpc = useTRPC();
  const invalidate = useInvalidateCompliance();
  const onSuccess = async () => {
    await invalidate();
    onDone();
  };
  const classify = useMutation(trpc.incidents.classify.mutationOptions({ onSuccess }));
  const report = useMutation(trpc.incidents.report.mutationOptions({ onSuccess }));
  const close = useMutation(trpc.incidents.close.mutationOptions({ onSuccess }));
  const ready = <Full extends { orgId: string }>(mutation: { mutate: (input: Full) => void; isPending: boolean; error: unknown }): IncidentChange<Omit<Full, "orgId">> => ({
    // An input without its org, and the org: together they are the procedure's input.
    mutate: (input) => mutation.mutate({ ...input, orgId: org.orgId } as Full),
    isPending: mutation.isPending,
    error: mutation.error,
  });
  return { classify: ready(classify), report: ready(report), close: ready(close) };
}

/** The countdown of an incident's Art. 73 clock, ticking every second. */
export function IncidentClock({ incident }: { incident: Pick<Incident, "deadlineAt" | "reportedAt" | "clock"> }) {
  const now = useNow(1000);
  const clock = now ? liveClock(incident, now) : incident.clock;
  const { text, tone } = clockText(clock);
  return (
    <span className="inline-flex items-center gap-2" role="timer" aria-live="off" aria-label={`Reporting clock: ${text}`}>
      <Badge tone={tone}>{text}</Badge>
      {incident.deadlineAt ? (
        <span className="text-xs text-slate-500">
          deadline <LocalTime value={incident.deadlineAt} />
        </span>
      ) : null}
    </span>
  );
}

/** Incidents, open first with the nearest deadline first; for one agent when `agent` is given. */
export function IncidentsCard({ agent, title = "Incidents" }: { agent?: { id: string; name: string }; title?: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const canWrite = useCan("compliance:write");
  const canOpen = useCan("incidents:open");
  const [status, setStatus] = useState<"open" | "closed" | "all">("all");
  const [opening, setOpening] = useState(false);
  const list = useQuery({ ...trpc.incidents.list.queryOptions({ orgId: org.orgId, status, ...(agent ? { agentId: agent.id } : {}) }), refetchInterval: 30_000 });
  const id = useId();

  return (
    <Card>
      <CardHeader
        title={title}
        description="Opened by kill switches, loop halts, rollbacks, anomalies or people. A serious incident must reach the authority within its EU AI Act Art. 73 clock: 15 days, 10 where a person died, 2 for a widespread infringement or critical infrastructure."
        actions={
          <>
            <label htmlFor={`${id}-status`} className="sr-only">
              Show incidents
            </label>
            <Select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as typeof status)} className="w-32">
              <option value="all">All</option>
              <option value="open">Open</option>
              <option value="closed">Closed</option>
            </Select>
            {canOpen ? (
              <Button className="whitespace-nowrap" onClick={() => setOpening(true)}>
                Open incident
              </Button>
            ) : null}
          </>
        }
      />
      <QueryBoundary
        query={list}
        label="incidents"
        inset
        empty={
          <EmptyState title={status === "open" ? "No open incidents" : "No incidents"}>
            {agent ? `Nothing has gone wrong with ${agent.name} that anyone recorded.` : "A kill switch, a loop halt or a person opens one; they show here with their reporting clocks."}
          </EmptyState>
        }
      >
        {(data) => (
          <ul className="divide-y divide-slate-100" aria-label={`${title} list`}>
            {data.map((incident) => (
              <IncidentItem key={incident.id} incident={incident} canWrite={canWrite} showAgent={!agent} />
            ))}
          </ul>
        )}
      </QueryBoundary>
      <Dialog open={opening} onClose={() => setOpening(false)} title="Open an incident" description="It is audited. A serious incident starts its Art. 73 reporting clock from when you became aware of it.">
        <OpenIncidentForm agent={agent ?? null} onDone={() => setOpening(false)} />
      </Dialog>
    </Card>
  );
}

function IncidentItem({ incident, canWrite, showAgent }: { incident: Incident; canWrite: boolean; showAgent: boolean }) {
  const org = useOrg();
  const [dialog, setDialog] = useState<"classify" | "report" | "close" | null>(null);
  const changes = useIncidentChanges(() => setDialog(null));
  const open = incident.status === "open";
  return (
    <li className="px-5 py-4 text-sm" aria-label={`Incident: ${incident.title}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={SEVERITY_TONE[incident.severity as IncidentSeverity] ?? "neutral"}>{incident.severity}</Badge>
            {incident.serious ? <Badge tone="bad">Serious (Art. 73)</Badge> : null}
            <Badge tone={open ? "warn" : "neutral"}>{open ? "Open" : "Closed"}</Badge>
            <span className="font-medium text-slate-900">{incident.title}</span>
          </p>
          <p className="text-xs text-slate-500">
            {SOURCE_LABEL[incident.source] ?? incident.source} · opened by {incident.openedBy} <LocalTime value={incident.openedAt} />
            {showAgent && incident.agent ? (
              <>
                {" · "}
                <Link href={`/${org.slug}/agents/${incident.agent.id}?tab=compliance`} className="font-medium text-brand-700 hover:underline">
                  {incident.agent.name}
                </Link>
              </>
            ) : null}
          </p>
          {incident.description ? <p className="text-slate-700">{incident.description}</p> : null}
          <div>
            <IncidentClock incident={incident} />
          </div>
          {incident.reportedAt ? (
            <p className="text-xs text-slate-600">
              Reported <LocalTime value={incident.reportedAt} /> · reference {incident.reportReference}
            </p>
          ) : null}
          {incident.closingNote ? (
            <p className="text-xs text-slate-600">
              Closed by {incident.closedBy}: {incident.closingNote}
            </p>
          ) : null}
        </div>
        {canWrite && open ? (
          <div className="flex shrink-0 flex-wrap gap-2">
            <Button size="sm" variant="secondary" onClick={() => setDialog("classify")} aria-label={`Classify ${incident.title}`}>
              Classify
            </Button>
            {incident.serious && !incident.reportedAt ? (
              <Button size="sm" variant="secondary" onClick={() => setDialog("report")} aria-label={`Mark ${incident.title} reported`}>
                Mark reported
              </Button>
            ) : null}
            <Button size="sm" variant="secondary" onClick={() => setDialog("close")} aria-label={`Close ${incident.title}`}>
              Close
            </Button>
          </div>
        ) : null}
      </div>
      <Dialog open={dialog === "classify"} onClose={() => setDialog(null)} title={`Classify: ${incident.title}`}>
        <ClassifyIncidentForm incident={incident} mutation={changes.classify} onDone={() => setDialog(null)} />
      </Dialog>
      <Dialog open={dialog === "report"} onClose={() => setDialog(null)} title={`Reported to the authority: ${incident.title}`}>
        <IncidentStepForm
          schema={reportIncidentSchema}
          input={(reference) => ({ incidentId: incident.id, reportedAt: new Date(), reference })}
          field={{ name: "reference", label: "Authority's reference", maxLength: 200 }}
          mutation={changes.report}
          intro="Records that the report reached the authority now; the clock stops."
          submitLabel="Mark reported"
          onDone={() => setDialog(null)}
        />
      </Dialog>
      <Dialog open={dialog === "close"} onClose={() => setDialog(null)} title={`Close: ${incident.title}`}>
        <IncidentStepForm
          schema={closeIncidentSchema}
          input={(note) => ({ incidentId: incident.id, note })}
          field={{ name: "note", label: "Closing note", hint: "What was found and done. It is kept in the audit log.", maxLength: 5000 }}
          mutation={changes.close}
          submitLabel="Close incident"
          danger
          onDone={() => setDialog(null)}
        />
      </Dialog>
    </li>
  );
}

function SeriousFields({
  serious,
  kind,
  onSerious,
  onKind,
  error,
}: {
  serious: boolean;
  kind: SeriousIncidentKind | "";
  onSerious: (value: boolean) => void;
  onKind: (value: SeriousIncidentKind | "") => void;
  error?: string | null;
}) {
  const id = useId();
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">EU AI Act Art. 73</legend>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={serious} onChange={(event) => onSerious(event.target.checked)} className="h-4 w-4 rounded border-slate-300" />
        This is a serious incident (it must be reported to the market surveillance authority)
      </label>
      {serious ? (
        <Field label="Which kind (sets the reporting clock)" htmlFor={`${id}-kind`} error={error}>
          <Select id={`${id}-kind`} value={kind} onChange={(event) => onKind(event.target.value as SeriousIncidentKind | "")} aria-invalid={Boolean(error)}>
            <option value="">Choose…</option>
            {SERIOUS_INCIDENT_KINDS.map((value) => (
              <option key={value} value={value}>
                {SERIOUS_INCIDENT_LABELS[value]}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
    </fieldset>
  );
}

function OpenIncidentForm({ agent, onDone, anomalyId, defaultTitle }: { agent: { id: string; name: string } | null; onDone: () => void; anomalyId?: string; defaultTitle?: string }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const invalidate = useInvalidateCompliance();
  const agents = useQuery({ ...trpc.agents.list.queryOptions({ orgId: org.orgId }), enabled: !agent && !anomalyId });
  const [values, setValues] = useState({
    agentId: agent?.id ?? "",
    title: defaultTitle ?? "",
    description: "",
    severity: "medium" as IncidentSeverity,
    serious: false,
    seriousKind: "" as SeriousIncidentKind | "",
  });
  const open = useMutation(
    trpc.incidents.open.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone();
      },
    }),
  );
  const check = useFormCheck(openIncidentSchema, { ...values, agentId: values.agentId || null, seriousKind: values.seriousKind || null, ...(anomalyId ? { anomalyId } : {}) }, open.error);
  return (
    <form className="space-y-4" {...check.formProps((input) => open.mutate({ orgId: org.orgId, ...input }))}>
      {!agent && !anomalyId ? (
        <Field label="Agent" htmlFor={`${id}-agent`} hint="Leave empty for an organisation-wide incident.">
          <NamedSelect id={`${id}-agent`} value={values.agentId} onChange={(agentId) => setValues({ ...values, agentId })} items={agents.data ?? []} placeholder="No single agent" />
        </Field>
      ) : null}
      <Field label="Title" htmlFor={`${id}-title`} error={check.errors.title}>
        <Input id={`${id}-title`} value={values.title} onChange={(event) => setValues({ ...values, title: event.target.value })} maxLength={200} aria-invalid={Boolean(check.errors.title)} />
      </Field>
      <Field label="What happened" htmlFor={`${id}-description`} error={check.errors.description}>
        <Input id={`${id}-description`} value={values.description} onChange={(event) => setValues({ ...values, description: event.target.value })} maxLength={5000} />
      </Field>
      <SeverityField value={values.severity} onChange={(severity) => setValues({ ...values, severity })} />
      <SeriousFields
        serious={values.serious}
        kind={values.seriousKind}
        onSerious={(serious) => setValues({ ...values, serious })}
        onKind={(seriousKind) => setValues({ ...values, seriousKind })}
        error={check.errors.seriousKind}
      />
      <FormError message={check.formError} />
      <FormButtons onCancel={onDone} submitLabel="Open incident" pendingLabel="Opening…" pending={open.isPending} />
    </form>
  );
}

function SeverityField({ value, onChange }: { value: IncidentSeverity; onChange: (severity: IncidentSeverity) => void }) {
  const id = useId();
  return (
    <Field label="Severity" htmlFor={id}>
      <Select id={id} value={value} onChange={(event) => onChange(event.target.value as IncidentSeverity)}>
        {INCIDENT_SEVERITIES.map((severity) => (
          <option key={severity} value={severity}>
            {severity}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function OpenIncidentFromAnomaly({ anomaly, onDone }: { anomaly: { id: string; title: string; agent: { id: string; name: string } }; onDone: () => void }) {
  return <OpenIncidentForm agent={anomaly.agent} anomalyId={anomaly.id} defaultTitle={anomaly.title} onDone={onDone} />;
}

function ClassifyIncidentForm({ incident, mutation, onDone }: { incident: Incident; mutation: IncidentChange<z.output<typeof classifyIncidentSchema>>; onDone: () => void }) {
  const id = useId();
  const [severity, setSeverity] = useState<IncidentSeverity>(incident.severity as IncidentSeverity);
  const [serious, setSerious] = useState(incident.serious);
  const [kind, setKind] = useState<SeriousIncidentKind | "">(incident.seriousKind ?? "");
  const [reason, setReason] = useState("");
  const check = useFormCheck(classifyIncidentSchema, { incidentId: incident.id, severity, serious, seriousKind: serious && kind ? kind : null, reason }, mutation.error);
  return (
    <form className="space-y-4" {...check.formProps(mutation.mutate)}>
      <SeverityField value={severity} onChange={setSeverity} />
      <SeriousFields serious={serious} kind={kind} onSerious={setSerious} onKind={setKind} error={check.errors.seriousKind} />
      <Field label="Why" htmlFor={`${id}-reason`} error={check.errors.reason}>
        <Input id={`${id}-reason`} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={1000} aria-invalid={Boolean(check.errors.reason)} />
      </Field>
      <FormError message={check.formError} />
      <FormButtons onCancel={onDone} submitLabel="Save" pendingLabel="Saving…" pending={mutation.isPending} />
    </form>
  );
}

/** An incident's one-line step (marking it reported, closing it): one text field, checked by the step's own schema. */
function IncidentStepForm<Input extends { incidentId: string }>({
  schema,
  input,
  field,
  mutation,
  intro,
  submitLabel,
  danger = false,
  onDone,
}: {
  schema: z.ZodType<Input, Input>;
  input: (text: string) => Input;
  field: { name: keyof Input & string; label: string; hint?: string; maxLength: number };
  mutation: IncidentChange<Input>;
  intro?: string;
  submitLabel: string;
  danger?: boolean;
  onDone: () => void;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const check = useFormCheck(schema, input(text), mutation.error);
  const error = check.errors[field.name];
  return (
    <form className="space-y-4" {...check.formProps(mutation.mutate)}>
      {intro ? <p className="text-sm text-slate-600">{intro}</p> : null}
      <Field label={field.label} htmlFor={`${id}-text`} error={error} hint={field.hint}>
        <Input id={`${id}-text`} value={text} onChange={(event) => setText(event.target.value)} maxLength={field.maxLength} aria-invalid={Boolean(error)} />
      </Field>
      <FormError message={check.formError} />
      <FormButtons onCancel={onDone} submitLabel={submitLabel} pending={mutation.isPending} danger={danger} />
    </form>
  );
}

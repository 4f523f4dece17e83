"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Alert, Badge, EmptyState } from "@/components/ui/feedback";
import { Field, Input, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { KILL_SWITCH_SCOPES, type KillSwitchScope } from "@/server/domain/killswitch/match";
import { confirmationMatches, SCOPE_LABELS } from "@/server/domain/killswitch/rules";
import { engageKillSwitchInput, releaseKillSwitchInput } from "@/server/domain/killswitch/schemas";
import { ackSummary, allAcknowledged, effectOf, firstScope, scopeTitle } from "./format";

type Listing = RouterOutputs["killSwitches"]["list"];
type ActiveSwitchView = Listing["active"][number];

export function KillSwitchesPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canTeam = useCan("killswitch:team");
  const list = useQuery({
    ...trpc.killSwitches.list.queryOptions({ orgId: org.orgId }),
    // While a switch is engaged, acknowledgements arrive within moments: keep the count live.
    refetchInterval: (query) => ((query.state.data?.active.length ?? 0) > 0 ? 2000 : 15_000),
  });

  return (
    <>
      <PageHeader title="Kill switches" description="Stop one agent, a team, a model, a tag or the whole organisation at once. Connected agents are told within moments; their telemetry is still stored." />
      <div className="space-y-6">
        {canTeam ? <EngageCard /> : null}
        <QueryBoundary query={list} label="kill switches" loading={<LoadingCard rows={3} />}>
          {(data) => (
            <>
              <ActiveSwitches switches={data.active} />
              <History switches={data.history} />
            </>
          )}
        </QueryBoundary>
      </div>
    </>
  );
}

function EngageCard() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canOrg = useCan("killswitch:org");
  const scopes = KILL_SWITCH_SCOPES.filter((scope) => canOrg || scope === "agent" || scope === "team");
  const [scope, setScope] = useState<KillSwitchScope>(firstScope(canOrg));
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const ids = { scope: useId(), target: useId(), reason: useId(), confirm: useId() };

  const targets = useQuery(trpc.killSwitches.targets.queryOptions({ orgId: org.orgId, scope }));
  const options = targets.data ?? [];
  const chosen = scope === "org" ? options[0] : options.find((option) => option.value === target);
  const expected = chosen?.label ?? "";
  const confirmed = chosen !== undefined && confirmationMatches(confirmation, expected);
  const input = { scope, target: scope === "org" ? "" : (chosen?.value ?? ""), reason, confirmation };
  // The button waits for what the procedure's own schema accepts, and for the typed name.
  const ready = confirmed && engageKillSwitchInput.safeParse(input).success;

  const engage = useMutation(
    trpc.killSwitches.engage.mutationOptions({
      onSuccess: async () => {
        setDone(`Engaged on ${scopeTitle(scope, expected)}.`);
        setTarget("");
        setReason("");
        setConfirmation("");
        await queryClient.invalidateQueries({ queryKey: trpc.killSwitches.list.queryKey({ orgId: org.orgId }) });
      },
    }),
  );

  return (
    <Card className="ring-2 ring-red-200">
      <CardHeader title="Engage a kill switch" description="Pick what to stop, say why, and type its name to confirm. Every switch is audited and alerted." />
      <form
        className="grid gap-5 p-5 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          const checked = engageKillSwitchInput.safeParse(input);
          if (!confirmed || !checked.success) return;
          setDone(null);
          engage.mutate({ orgId: org.orgId, ...checked.data });
        }}
      >
        <Field label="Scope" htmlFor={ids.scope} hint={canOrg ? undefined : "Team leads can stop their own teams' agents and teams; models, tags and the organisation need an admin."}>
          <Select
            id={ids.scope}
            value={scope}
            onChange={(event) => {
              setScope(event.target.value as KillSwitchScope);
              setTarget("");
              setConfirmation("");
              engage.reset();
            }}
          >
            {scopes.map((value) => (
              <option key={value} value={value}>
                {SCOPE_LABELS[value]}
              </option>
            ))}
          </Select>
        </Field>

        {scope === "org" ? (
          <Field label="Target" htmlFor={ids.target} hint="Every agent of the organisation.">
            <Input id={ids.target} value={expected} readOnly />
          </Field>
        ) : (
          <Field label="Target" htmlFor={ids.target} error={targets.error ? targets.error.message : null} hint={options.length === 0 && targets.data ? "Nothing here you may switch off." : undefined}>
            <Select
              id={ids.target}
              value={target}
              onChange={(event) => {
                setTarget(event.target.value);
                setConfirmation("");
              }}
              disabled={!targets.data}
            >
              <option value="">{targets.data ? `Choose ${scope === "tag" ? "a tag" : `a${scope === "agent" ? "n" : ""} ${scope}`}…` : "Loading…"}</option>
              {options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          </Field>
        )}

        <Field label="Reason" htmlFor={ids.reason} hint="Shown to everyone on this page, in the audit log and in the alert.">
          <Input id={ids.reason} value={reason} onChange={(event) => setReason(event.target.value)} placeholder="e.g. Incident 42: runaway spend" maxLength={500} />
        </Field>

        <Field
          label="Type the target's name to confirm"
          htmlFor={ids.confirm}
          hint={
            chosen ? (
              <>
                Type <strong className="font-mono">{expected}</strong> exactly.
              </>
            ) : (
              "Choose a target first."
            )
          }
        >
          <Input id={ids.confirm} value={confirmation} onChange={(event) => setConfirmation(event.target.value)} disabled={!chosen} autoComplete="off" aria-invalid={confirmation.length > 0 && !confirmed} />
        </Field>

        <div className="flex flex-wrap items-center gap-4 md:col-span-2">
          <Button type="submit" variant="danger" className="h-11 px-6 text-base" disabled={!ready || engage.isPending}>
            {engage.isPending ? "Engaging…" : "Engage kill switch"}
          </Button>
          <p className="text-sm text-slate-600">{effectOf(scope)}</p>
        </div>
        {engage.error ? (
          <div className="md:col-span-2">
            <Alert tone="bad" title="Not engaged">
              {engage.error.message}
            </Alert>
          </div>
        ) : null}
        {done ? (
          <div className="md:col-span-2">
            <Alert tone="good" title={done} />
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function ActiveSwitches({ switches }: { switches: ActiveSwitchView[] }) {
  return (
    <Card>
      <CardHeader
        title={`Engaged (${switches.length})`}
        description="Acknowledged: connected instances (seen in the last minute) that have applied the halt, and how long that took from the moment it was engaged."
      />
      {switches.length === 0 ? (
        <EmptyState title="No kill switch is engaged">Everything runs normally.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200" aria-label="Engaged kill switches">
          {switches.map((sw) => (
            <ActiveSwitchItem key={sw.id} sw={sw} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ActiveSwitchItem({ sw }: { sw: ActiveSwitchView }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canTeam = useCan("killswitch:team");
  const canOrg = useCan("killswitch:org");
  const mayRelease = sw.scope === "agent" || sw.scope === "team" ? canTeam : canOrg;
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const title = scopeTitle(sw.scope, sw.targetName);
  const releasable = releaseKillSwitchInput.safeParse({ id: sw.id, reason });
  const release = useMutation(
    trpc.killSwitches.release.mutationOptions({
      onSuccess: async () => {
        setReleasing(false);
        await queryClient.invalidateQueries({ queryKey: trpc.killSwitches.list.queryKey({ orgId: org.orgId }) });
      },
    }),
  );

  return (
    <li className="space-y-3 px-5 py-4" aria-label={title}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone="bad">Engaged</Badge>
            <h3 className="text-base font-semibold text-slate-900">{title}</h3>
            {sw.reasonCode === "loop_detected" ? <Badge tone="warn">Loop detected</Badge> : null}
          </div>
          <p className="mt-1 text-sm text-slate-700">{sw.reason}</p>
          <p className="mt-1 text-xs text-slate-500">
            By {sw.engagedBy} · <LocalTime value={sw.engagedAt} /> · revision {sw.revision}
          </p>
        </div>
        {mayRelease && !releasing ? (
          <Button variant="secondary" onClick={() => setReleasing(true)} aria-label={`Release ${title}`}>
            Release
          </Button>
        ) : null}
      </div>

      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="font-medium text-slate-700">Affected agents</dt>
          <dd className="text-slate-600">
            {sw.affected.total === 0 ? (
              "None right now"
            ) : (
              <>
                {sw.affected.total} {sw.affected.total === 1 ? "agent" : "agents"}:{" "}
                {sw.affected.agents.map((agent, index) => (
                  <span key={agent.id}>
                    {index > 0 ? ", " : ""}
                    <Link className="text-brand-700 hover:underline" href={`/${org.slug}/agents/${agent.id}`}>
                      {agent.name}
                    </Link>
                  </span>
                ))}
                {sw.affected.total > sw.affected.agents.length ? ` and ${sw.affected.total - sw.affected.agents.length} more` : ""}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">Connected instances</dt>
          <dd className={cn("font-medium", allAcknowledged(sw.acks) ? "text-emerald-700" : "text-slate-800")} data-testid="ack-summary">
            {ackSummary(sw.acks)}
          </dd>
        </div>
      </dl>

      {releasing ? (
        <form
          className="flex flex-wrap items-end gap-3 rounded-md bg-slate-50 p-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (releasable.success) release.mutate({ orgId: org.orgId, ...releasable.data });
          }}
        >
          <div className="min-w-64 flex-1">
            <Field label="Why release it?" htmlFor={reasonId}>
              <Input id={reasonId} value={reason} onChange={(event) => setReason(event.target.value)} placeholder="e.g. Fixed in 2.4.1" maxLength={500} />
            </Field>
          </div>
          <Button type="submit" disabled={!releasable.success || release.isPending}>
            {release.isPending ? "Releasing…" : "Release and resume"}
          </Button>
          <Button variant="ghost" onClick={() => setReleasing(false)}>
            Cancel
          </Button>
          {release.error ? (
            <div className="w-full">
              <Alert tone="bad" title="Not released">
                {release.error.message}
              </Alert>
            </div>
          ) : null}
        </form>
      ) : null}
    </li>
  );
}

type ReleasedSwitch = Listing["history"][number];

const HISTORY_COLUMNS: Column<ReleasedSwitch>[] = [
  { key: "target", header: "Target", sortValue: (sw) => scopeTitle(sw.scope, sw.targetName), render: (sw) => <span className="font-medium text-slate-900">{scopeTitle(sw.scope, sw.targetName)}</span> },
  { key: "reason", header: "Reason", render: (sw) => sw.reason },
  {
    key: "engaged",
    header: "Engaged",
    sortValue: (sw) => new Date(sw.engagedAt).getTime(),
    render: (sw) => (
      <>
        <LocalTime value={sw.engagedAt} />
        <span className="block text-xs text-slate-500">by {sw.engagedBy}</span>
      </>
    ),
  },
  {
    key: "released",
    header: "Released",
    sortValue: (sw) => (sw.releasedAt ? new Date(sw.releasedAt).getTime() : null),
    render: (sw) => (
      <>
        {sw.releasedAt ? <LocalTime value={sw.releasedAt} /> : "—"}
        {sw.releasedBy ? <span className="block text-xs text-slate-500">by {sw.releasedBy}</span> : null}
      </>
    ),
  },
];

function History({ switches }: { switches: ReleasedSwitch[] }) {
  return (
    <Card>
      <CardHeader title="History" description="Released switches, newest first." />
      <DataTable rows={switches} columns={HISTORY_COLUMNS} rowKey={(sw) => sw.id} caption="Released kill switches" empty={<EmptyState title="No switch has been released yet" />} />
    </Card>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Badge, EmptyState, errorMessage } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { FormError } from "@/components/ui/form";
import { EFFECT_LABEL, EFFECT_TONE, STATUS_TONE } from "./editor-model";
import { PolicyEditor } from "./policy-editor";

type Row = RouterOutputs["policies"]["list"]["policies"][number];
type Change = { kind: "enforce" | "disable" | "delete"; policy: Row };

export function PoliciesPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canWrite = useCan("policies:write");
  const list = useQuery(trpc.policies.list.queryOptions({ orgId: org.orgId }));
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [change, setChange] = useState<Change | null>(null);

  const columns: Column<Row>[] = [
    {
      key: "name",
      header: "Policy",
      sortValue: (row) => row.name,
      render: (row) => (
        <div>
          <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setEditing(row.id)}>
            {row.name}
          </button>
          {row.description ? <p className="text-xs text-slate-500">{row.description}</p> : null}
          {row.unknownNames.length > 0 ? <p className="text-xs font-medium text-amber-700">Names no one in this organisation: {row.unknownNames.join(", ")}</p> : null}
          {!row.valid ? <p className="text-xs font-medium text-red-700">No longer valid against the schema: not enforced.</p> : null}
        </div>
      ),
    },
    { key: "status", header: "Status", sortValue: (row) => row.status, render: (row) => <Badge tone={STATUS_TONE[row.status]}>{row.status}</Badge> },
    { key: "effect", header: "Effect", sortValue: (row) => row.effect, render: (row) => <Badge tone={EFFECT_TONE[row.effect]}>{EFFECT_LABEL[row.effect]}</Badge> },
    { key: "who", header: "Who", sortValue: (row) => row.who, render: (row) => row.who },
    { key: "what", header: "What", sortValue: (row) => row.what, render: (row) => row.what },
    {
      key: "changed",
      header: "Last change",
      sortValue: (row) => new Date(row.updatedAt).getTime(),
      render: (row) => (
        <span className="text-sm">
          <LocalTime value={row.updatedAt} />
          <span className="block text-xs text-slate-500">
            v{row.version}
            {row.updatedBy ? ` · ${row.updatedBy}` : ""}
          </span>
        </span>
      ),
    },
    ...(canWrite
      ? [
          {
            key: "actions",
            header: "Actions",
            render: (row: Row) => (
              <div className="flex gap-1">
                {row.status === "enforced" ? (
                  <Button size="sm" variant="secondary" aria-label={`Disable ${row.name}`} onClick={() => setChange({ kind: "disable", policy: row })}>
                    Disable
                  </Button>
                ) : (
                  <Button size="sm" variant="secondary" aria-label={`Enforce ${row.name}`} disabled={!row.valid} onClick={() => setChange({ kind: "enforce", policy: row })}>
                    Enforce
                  </Button>
                )}
                <Button size="sm" variant="ghost" aria-label={`Delete ${row.name}`} onClick={() => setChange({ kind: "delete", policy: row })}>
                  Delete
                </Button>
              </div>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="space-y-6">
      <PageHeader
        title="Policies"
        description="What agents may do, checked before they act: tools, models, data classes, delegation and spend. Written in Cedar, from a form for everyday rules or as text."
        actions={canWrite && editing === null ? <Button onClick={() => setEditing("new")}>New policy</Button> : null}
      />
      {editing === "new" ? <PolicyEditor policy={null} onClose={() => setEditing(null)} /> : editing ? <EditExisting policyId={editing} onClose={() => setEditing(null)} /> : null}

      <QueryBoundary query={list} label="policies" loading={<LoadingCard rows={4} />}>
        {(data) => (
          <>
            <DefaultDecision value={data.defaultDecision} />
            <Card>
              <CardHeader title="All policies" description={`${data.policies.filter((policy) => policy.status === "enforced").length} enforced of ${data.policies.length}`} />
              <DataTable
                rows={data.policies}
                columns={columns}
                rowKey={(row) => row.id}
                caption="Agent policies"
                empty={<EmptyState title="No policies yet">With none, every decision falls to the default.</EmptyState>}
              />
            </Card>
          </>
        )}
      </QueryBoundary>
      <Help />
      {change ? <ChangeDialog change={change} onClose={() => setChange(null)} /> : null}
    </div>
  );
}

function EditExisting({ policyId, onClose }: { policyId: string; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const policy = useQuery(trpc.policies.get.queryOptions({ orgId: org.orgId, policyId }));
  return (
    <QueryBoundary query={policy} label="the policy" loading={<LoadingCard rows={6} />}>
      {/* Keyed by version: a saved change opens the editor afresh on what was saved. */}
      {(data) => <PolicyEditor key={`${data.id}-${data.version}`} policy={data} onClose={onClose} />}
    </QueryBoundary>
  );
}

function DefaultDecision({ value }: { value: "allow" | "deny" }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canSet = useCan("org:admin");
  const [confirm, setConfirm] = useState(false);
  const set = useMutation(
    trpc.policies.setDefault.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.policies.list.queryKey({ orgId: org.orgId }) });
        setConfirm(false);
      },
    }),
  );
  const next = value === "deny" ? "allow" : "deny";
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-4 text-sm">
        <p>
          When no policy matches, the organisation <Badge tone={value === "deny" ? "bad" : "good"}>{value === "deny" ? "denies" : "allows"}</Badge> the action.
        </p>
        {canSet ? (
          <Button size="sm" variant="secondary" onClick={() => setConfirm(true)}>
            Change to {next}
          </Button>
        ) : null}
      </div>
      <Dialog open={confirm} onClose={() => setConfirm(false)} title={`Default to ${next} when no policy matches?`}>
        <p className="text-sm text-slate-600">
          {next === "allow" ? "Every action no policy speaks to will be allowed, for every agent." : "Every action no policy permits will be denied, for every agent."} This is recorded in the audit log.
        </p>
        <div className="mt-3">
          <FormError message={set.error ? errorMessage(set.error) : null} />
        </div>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirm(false)}>
            Cancel
          </Button>
          <Button variant={next === "allow" ? "danger" : "primary"} disabled={set.isPending} onClick={() => set.mutate({ orgId: org.orgId, decision: next })}>
            Default to {next}
          </Button>
        </div>
      </Dialog>
    </Card>
  );
}

function ChangeDialog({ change, onClose }: { change: Change; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.policies.list.queryKey({ orgId: org.orgId }) });
      onClose();
    },
  };
  const enforce = useMutation(trpc.policies.enforce.mutationOptions(options));
  const disable = useMutation(trpc.policies.disable.mutationOptions(options));
  const remove = useMutation(trpc.policies.delete.mutationOptions(options));
  const mutation = change.kind === "enforce" ? enforce : change.kind === "disable" ? disable : remove;
  const { policy } = change;
  const text = {
    enforce: { title: `Enforce “${policy.name}”?`, body: "Every agent's decisions are weighed against it from now on.", action: "Enforce" },
    disable: { title: `Disable “${policy.name}”?`, body: "Agents' decisions stop being weighed against it at once; it stays here to enforce again.", action: "Disable" },
    delete: {
      title: `Delete “${policy.name}”?`,
      body: policy.status === "enforced" ? "It is enforced: agents' decisions stop being weighed against it at once, and it is gone from this list." : "It is gone from this list.",
      action: "Delete",
    },
  }[change.kind];
  return (
    <Dialog open onClose={onClose} title={text.title}>
      <p className="text-sm text-slate-600">{text.body} This is recorded in the audit log.</p>
      {mutation.error ? (
        <p role="alert" className="mt-3 whitespace-pre-line text-sm font-medium text-red-600">
          {errorMessage(mutation.error)}
        </p>
      ) : null}
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant={change.kind === "enforce" ? "primary" : "danger"} disabled={mutation.isPending} onClick={() => mutation.mutate({ orgId: org.orgId, policyId: policy.id })}>
          {text.action}
        </Button>
      </div>
    </Dialog>
  );
}

function Help() {
  return (
    <Card>
      <CardHeader title="How policies decide" />
      <div className="space-y-2 px-5 py-4 text-sm text-slate-600">
        <p>Every action an agent asks about is weighed against the enforced policies that can apply to it:</p>
        <ol className="list-decimal space-y-1 pl-5">
          <li>
            <strong>Deny</strong> (a <code>forbid</code>) wins over everything: any matching deny denies.
          </li>
          <li>
            <strong>Require approval</strong> (a <code>permit</code> annotated <code>@approval(&quot;true&quot;)</code>) comes next: the action is allowed once a person approves it. When an approval rule and a
            plain allow both match, the most restrictive wins: approval is required.
          </li>
          <li>
            <strong>Allow</strong> (a plain <code>permit</code>) allows.
          </li>
          <li>When nothing matches, the organisation&apos;s default decides (deny unless an admin changed it).</li>
        </ol>
        <p>
          Agents are <code>Agent::&quot;name&quot;</code>, members of <code>Team::&quot;name&quot;</code>, with <code>tags</code>, <code>riskClass</code>, <code>dataCategories</code>, <code>tools</code> and{" "}
          <code>models</code>. Actions are <code>tool</code>, <code>model</code>, <code>data</code>, <code>delegate</code> and <code>spend</code>, on <code>Tool</code>, <code>Model</code>,{" "}
          <code>DataClass</code>, <code>Agent</code> and <code>Budget</code> named as the agent asked.
        </p>
        <p>
          Numeric arguments are decimals (4 decimal places; numbers and numeric strings both count):{" "}
          <code>context.arguments.hasTag(&quot;amount&quot;) &amp;&amp; context.arguments.getTag(&quot;amount&quot;).greaterThan(decimal(&quot;100.0&quot;))</code>. Text and true/false arguments are in{" "}
          <code>context.textArguments</code>. A condition on an argument holds only when the agent sent that argument. Also in the context: <code>dataClasses</code> (a data action&apos;s own name included),{" "}
          <code>hour</code> (0–23, UTC), <code>estimatedCostMicros</code> (0 when no estimate) and <code>argumentNames</code>.
        </p>
        <p>Policies name agents and teams by name: after renaming one, edit the policies that name it (the list flags names no one has).</p>
      </div>
    </Card>
  );
}

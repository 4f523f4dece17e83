"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { DataTable, editColumn } from "@/components/ui/data-table";
import { Badge, EmptyState, errorMessage, Skeleton } from "@/components/ui/feedback";
import { CheckboxGroup, Field, FormButtons, FormError, Input, Select } from "@/components/ui/form";
import { useFormCheck } from "@/components/ui/form-check";
import { formatMicroUsd, formatNumber } from "@/components/ui/format";
import { QueryBoundary, type QueryView } from "@/components/ui/query-boundary";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { routingRuleInput } from "@/server/domain/routing/schemas";
import { ModelRegistry } from "./model-registry";
import { useRefreshRouting } from "./use-refresh-routing";

type Rule = RouterOutputs["routing"]["overview"][number];

export function RoutingPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canAdmin = useCan("org:admin");
  const rules = useQuery(trpc.routing.overview.queryOptions({ orgId: org.orgId }));
  const savings = useQuery(trpc.routing.savings.queryOptions({ orgId: org.orgId, days: 30 }));
  const [editing, setEditing] = useState<Rule | "new" | null>(null);

  return (
    <>
      <PageHeader
        title="Routing"
        description="Each task type runs on the cheapest active model that meets its quality floor; fallbacks take over in order when a model is stopped or fails."
        actions={canAdmin ? <Button onClick={() => setEditing("new")}>New routing rule</Button> : undefined}
      />
      <SavingsCard savings={savings} />
      <Card className="mb-6">
        <CardHeader title="Routing rules" description="What each task type routes to right now, with kill switches and model status taken into account." />
        <QueryBoundary query={rules} label="routing rules" inset>
          {(data) => (
            <DataTable
              caption="Routing rules"
              rows={data}
              rowKey={(rule) => rule.taskType}
              initialSort={{ key: "taskType", direction: "asc" }}
              empty={<EmptyState title="No routing rules yet">Without a rule, agents must name their model; with one, they ask for &quot;auto&quot;.</EmptyState>}
              columns={[
                { key: "taskType", header: "Task type", sortValue: (rule) => rule.taskType, render: (rule) => <span className="font-medium text-slate-900">{rule.taskType}</span> },
                { key: "minQuality", header: "Quality floor", sortValue: (rule) => rule.minQuality, render: (rule) => `≥ ${rule.minQuality}` },
                {
                  key: "routesTo",
                  header: "Routes to now",
                  render: (rule) =>
                    rule.routesTo ? (
                      <span>
                        <Badge tone="good">{rule.routesTo.name}</Badge> <span className="text-xs text-slate-500">{rule.routesTo.provider}</span>
                      </span>
                    ) : (
                      <Badge tone="bad">{rule.problem ?? "No model"}</Badge>
                    ),
                },
                { key: "fallbacks", header: "Then", render: (rule) => (rule.fallbacks.length ? rule.fallbacks.map((model) => model.name).join(" → ") : "—") },
                { key: "providers", header: "Providers", render: (rule) => (rule.allowedProviders.length ? rule.allowedProviders.join(", ") : "Any") },
                ...editColumn<Rule>(canAdmin, (rule) => `Edit rule ${rule.taskType}`, setEditing),
              ]}
            />
          )}
        </QueryBoundary>
      </Card>
      <ModelRegistry />
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "New routing rule" : "Edit routing rule"} size="lg">
        {editing !== null ? <RuleForm rule={editing === "new" ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Dialog>
    </>
  );
}

function SavingsCard({ savings }: { savings: QueryView<RouterOutputs["routing"]["savings"]> }) {
  return (
    <Card className="mb-6 px-5 py-4">
      <h2 className="text-xs font-medium tracking-wide text-slate-500 uppercase">Saved by routing, last 30 days</h2>
      <QueryBoundary query={savings} label="the savings" loading={<Skeleton className="mt-2 h-8 w-48" />}>
        {(data) => <Savings savings={data} />}
      </QueryBoundary>
    </Card>
  );
}

function Savings({ savings }: { savings: RouterOutputs["routing"]["savings"] }) {
  if (savings.calls === 0) {
    return <p className="mt-2 text-sm text-slate-600">No routed calls yet: savings appear once agents ask for a model with &quot;auto&quot; and report the call with its decisionId.</p>;
  }
  const baseline = BigInt(savings.baselineMicros);
  const saved = BigInt(savings.savedMicros);
  const percent = baseline > 0n ? Number((saved * 1000n) / baseline) / 10 : 0;
  return (
    <div className="mt-2 flex flex-wrap items-end gap-x-8 gap-y-2">
      <p className="text-3xl font-semibold text-emerald-700 tabular-nums">{formatMicroUsd(saved)}</p>
      <p className="text-sm text-slate-600">
        {percent.toFixed(1)}% less than {formatMicroUsd(baseline)} on the most expensive model each agent asked for · {formatNumber(savings.calls)} routed calls costing {formatMicroUsd(savings.actualMicros)}
      </p>
    </div>
  );
}

function RuleForm({ rule, onDone }: { rule: Rule | null; onDone: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const refresh = useRefreshRouting();
  const models = useQuery(trpc.models.list.queryOptions({ orgId: org.orgId }));
  const [taskType, setTaskType] = useState(rule?.taskType ?? "");
  const [minQuality, setMinQuality] = useState(rule?.minQuality ?? 3);
  const [providers, setProviders] = useState<string[]>(rule ? [...rule.allowedProviders] : []);
  const [chain, setChain] = useState<string[]>(rule ? [...rule.fallbackChain] : []);
  const [adding, setAdding] = useState("");
  const done = async () => {
    await refresh();
    onDone();
  };
  const save = useMutation(trpc.routing.upsertRule.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.routing.deleteRule.mutationOptions({ onSuccess: done }));
  const allProviders = [...new Set((models.data ?? []).map((model) => model.provider))].sort();
  const check = useFormCheck(routingRuleInput, { taskType, minQuality, allowedProviders: providers, fallbackChain: chain }, save.error);

  const move = (index: number, by: number) =>
    setChain((current) => {
      const next = [...current];
      const [item] = next.splice(index, 1);
      if (item !== undefined) next.splice(index + by, 0, item);
      return next;
    });

  return (
    <form className="space-y-4" {...check.formProps((input) => save.mutate({ orgId: org.orgId, ...input }))}>
      <Field label="Task type" htmlFor="rule-task-type" hint="What agents send as taskType, e.g. classification" error={check.errors.taskType}>
        <Input
          id="rule-task-type"
          value={taskType}
          disabled={rule !== null}
          onChange={(event) => setTaskType(event.target.value)}
          aria-invalid={check.errors.taskType ? true : undefined}
          aria-describedby={check.errors.taskType ? "rule-task-type-error" : undefined}
        />
      </Field>
      <Field label="Minimum quality" htmlFor="rule-min-quality" hint="1: simple classification … 5: frontier reasoning">
        <Select id="rule-min-quality" value={minQuality} onChange={(event) => setMinQuality(Number(event.target.value))}>
          {[1, 2, 3, 4, 5].map((tier) => (
            <option key={tier} value={tier}>
              {tier}
            </option>
          ))}
        </Select>
      </Field>
      <CheckboxGroup legend="Allowed providers (none checked: any)" options={allProviders.map((provider) => ({ value: provider, label: provider }))} selected={providers} onChange={setProviders} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Fallback chain, in order</legend>
        <ol className="mt-2 space-y-1">
          {chain.map((name, index) => (
            <li key={name} className="flex items-center justify-between rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-200 ring-inset">
              <span>
                {index + 1}. {name}
              </span>
              <span className="flex gap-1">
                <Button variant="ghost" size="sm" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                  ↑
                </Button>
                <Button variant="ghost" size="sm" aria-label={`Move ${name} down`} disabled={index === chain.length - 1} onClick={() => move(index, 1)}>
                  ↓
                </Button>
                <Button variant="ghost" size="sm" aria-label={`Remove ${name}`} onClick={() => setChain((current) => current.filter((item) => item !== name))}>
                  ✕
                </Button>
              </span>
            </li>
          ))}
        </ol>
        <div className="mt-2 flex gap-2">
          <label htmlFor="rule-add-fallback" className="sr-only">
            Add a fallback model
          </label>
          <Select id="rule-add-fallback" value={adding} onChange={(event) => setAdding(event.target.value)}>
            <option value="">Add a fallback model…</option>
            {(models.data ?? [])
              .filter((model) => model.status !== "disabled" && !chain.includes(model.name))
              .map((model) => (
                <option key={model.name} value={model.name}>
                  {model.name} ({model.provider}, quality {model.qualityTier})
                </option>
              ))}
          </Select>
          <Button
            variant="secondary"
            disabled={!adding}
            onClick={() => {
              setChain((current) => [...current, adding]);
              setAdding("");
            }}
          >
            Add
          </Button>
        </div>
      </fieldset>
      <FormError message={check.errors.fallbackChain ?? check.formError ?? (remove.error ? errorMessage(remove.error) : null)} />
      <div className="flex justify-between pt-2">
        {rule ? (
          <Button variant="danger" onClick={() => remove.mutate({ orgId: org.orgId, taskType: rule.taskType })} disabled={remove.isPending}>
            Delete rule
          </Button>
        ) : (
          <span />
        )}
        <FormButtons onCancel={onDone} submitLabel="Save rule" pendingLabel="Saving…" pending={save.isPending} />
      </div>
    </form>
  );
}

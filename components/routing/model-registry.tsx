"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Badge, EmptyState, errorMessage, QueryError, Skeleton } from "@/components/ui/feedback";
import { Field, Input, Select } from "@/components/ui/form";
import { formatMicroUsd, formatNumber } from "@/components/ui/format";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";

type Model = RouterOutputs["models"]["list"][number];

const STATUS_TONE = { active: "good", deprecated: "warn", disabled: "bad" } as const;

/** "2500000" micro-dollars → "2.50" dollars, for the edit form. */
function dollars(micros: string): string {
  const value = BigInt(micros);
  const whole = value / 1_000_000n;
  const fraction = (value % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction.length < 2 ? `${whole}.${fraction.padEnd(2, "0")}` : `${whole}.${fraction}`;
}

export function ModelRegistry() {
  const org = useOrg();
  const trpc = useTRPC();
  const canAdmin = useCan("org:admin");
  const models = useQuery(trpc.models.list.queryOptions({ orgId: org.orgId }));
  const [editing, setEditing] = useState<Model | "new" | null>(null);

  return (
    <Card>
      <CardHeader
        title="Model registry"
        description="List prices per million tokens; event costs are computed from them when an agent reports none."
        actions={canAdmin ? <Button variant="secondary" onClick={() => setEditing("new")}>Add model</Button> : undefined}
      />
      {models.error ? (
        <div className="p-5">
          <QueryError error={models.error} retry={() => void models.refetch()} />
        </div>
      ) : !models.data ? (
        <div className="p-5">
          <Skeleton className="h-24 w-full" />
        </div>
      ) : (
        <DataTable
          caption="Model registry"
          rows={models.data}
          rowKey={(model) => model.name}
          initialSort={{ key: "provider", direction: "asc" }}
          empty={<EmptyState title="No models yet" />}
          columns={[
            { key: "provider", header: "Provider", sortValue: (model) => `${model.provider} ${model.name}`, render: (model) => model.provider },
            { key: "name", header: "Model", sortValue: (model) => model.name, render: (model) => <span className="font-medium text-slate-900">{model.name}</span> },
            { key: "input", header: "Input / 1M", sortValue: (model) => Number(model.inputMicrosPerMTok), className: "text-right tabular-nums", render: (model) => formatMicroUsd(model.inputMicrosPerMTok) },
            { key: "output", header: "Output / 1M", sortValue: (model) => Number(model.outputMicrosPerMTok), className: "text-right tabular-nums", render: (model) => formatMicroUsd(model.outputMicrosPerMTok) },
            { key: "quality", header: "Quality", sortValue: (model) => model.qualityTier, render: (model) => `${model.qualityTier} / 5` },
            { key: "context", header: "Context", sortValue: (model) => model.contextWindow ?? 0, className: "text-right tabular-nums", render: (model) => (model.contextWindow ? `${formatNumber(model.contextWindow)} tokens` : "—") },
            { key: "status", header: "Status", sortValue: (model) => model.status, render: (model) => <Badge tone={STATUS_TONE[model.status]}>{model.status}</Badge> },
            ...(canAdmin
              ? [
                  {
                    key: "actions",
                    header: "",
                    render: (model: Model) => (
                      <Button variant="ghost" size="sm" aria-label={`Edit model ${model.name}`} onClick={() => setEditing(model)}>
                        Edit
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "Add model" : "Edit model"}>
        {editing !== null ? <ModelForm model={editing === "new" ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Dialog>
    </Card>
  );
}

function ModelForm({ model, onDone }: { model: Model | null; onDone: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    provider: model?.provider ?? "",
    name: model?.name ?? "",
    inputUsdPerMTok: model ? dollars(model.inputMicrosPerMTok) : "",
    outputUsdPerMTok: model ? dollars(model.outputMicrosPerMTok) : "",
    qualityTier: model?.qualityTier ?? 3,
    contextWindow: model?.contextWindow ? String(model.contextWindow) : "",
    status: model?.status ?? "active",
  });
  const save = useMutation(
    trpc.models.upsert.mutationOptions({
      onSuccess: async () => {
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() })]);
        onDone();
      },
    }),
  );
  const fieldErrors = (save.error as { data?: { zodError?: { fieldErrors?: Record<string, string[]> } } } | null)?.data?.zodError?.fieldErrors;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value }));

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          orgId: org.orgId,
          provider: form.provider,
          name: form.name,
          inputUsdPerMTok: form.inputUsdPerMTok,
          outputUsdPerMTok: form.outputUsdPerMTok,
          qualityTier: Number(form.qualityTier),
          contextWindow: form.contextWindow ? Number(form.contextWindow) : null,
          status: form.status,
        });
      }}
    >
      <div className="grid grid-cols-2 gap-4">
        <Field label="Provider" htmlFor="model-provider" error={fieldErrors?.provider?.[0]}>
          <Input id="model-provider" value={form.provider} onChange={set("provider")} disabled={model !== null} />
        </Field>
        <Field label="Model name" htmlFor="model-name" error={fieldErrors?.name?.[0]}>
          <Input id="model-name" value={form.name} onChange={set("name")} disabled={model !== null} />
        </Field>
        <Field label="Input price (USD per 1M tokens)" htmlFor="model-input" error={fieldErrors?.inputUsdPerMTok?.[0]}>
          <Input id="model-input" inputMode="decimal" value={form.inputUsdPerMTok} onChange={set("inputUsdPerMTok")} />
        </Field>
        <Field label="Output price (USD per 1M tokens)" htmlFor="model-output" error={fieldErrors?.outputUsdPerMTok?.[0]}>
          <Input id="model-output" inputMode="decimal" value={form.outputUsdPerMTok} onChange={set("outputUsdPerMTok")} />
        </Field>
        <Field label="Quality tier" htmlFor="model-quality">
          <Select id="model-quality" value={form.qualityTier} onChange={set("qualityTier")}>
            {[1, 2, 3, 4, 5].map((tier) => (
              <option key={tier} value={tier}>
                {tier}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Context window (tokens)" htmlFor="model-context" error={fieldErrors?.contextWindow?.[0]}>
          <Input id="model-context" inputMode="numeric" value={form.contextWindow} onChange={set("contextWindow")} />
        </Field>
        <Field label="Status" htmlFor="model-status" hint="Routing uses active models only; disabled models are refused.">
          <Select id="model-status" value={form.status} onChange={set("status")}>
            <option value="active">active</option>
            <option value="deprecated">deprecated</option>
            <option value="disabled">disabled</option>
          </Select>
        </Field>
      </div>
      {save.error && !fieldErrors ? (
        <p role="alert" className="text-sm font-medium text-red-600">
          {errorMessage(save.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save model"}
        </Button>
      </div>
    </form>
  );
}

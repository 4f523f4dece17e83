"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, editColumn } from "@/components/ui/data-table";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Input, Select } from "@/components/ui/form";
import { useFormCheck } from "@/components/ui/form-check";
import { formatMicroUsd, formatNumber } from "@/components/ui/format";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { MODEL_STATUSES, modelInput } from "@/server/domain/routing/schemas";
import { useRefreshRouting } from "./use-refresh-routing";

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
        actions={
          canAdmin ? (
            <Button variant="secondary" onClick={() => setEditing("new")}>
              Add model
            </Button>
          ) : undefined
        }
      />
      <QueryBoundary query={models} label="the model registry" inset>
        {(data) => (
          <DataTable
            caption="Model registry"
            rows={data}
            rowKey={(model) => model.name}
            initialSort={{ key: "provider", direction: "asc" }}
            empty={<EmptyState title="No models yet" />}
            columns={[
              { key: "provider", header: "Provider", sortValue: (model) => `${model.provider} ${model.name}`, render: (model) => model.provider },
              { key: "name", header: "Model", sortValue: (model) => model.name, render: (model) => <span className="font-medium text-slate-900">{model.name}</span> },
              { key: "input", header: "Input / 1M", sortValue: (model) => Number(model.inputMicrosPerMTok), className: "text-right tabular-nums", render: (model) => formatMicroUsd(model.inputMicrosPerMTok) },
              {
                key: "output",
                header: "Output / 1M",
                sortValue: (model) => Number(model.outputMicrosPerMTok),
                className: "text-right tabular-nums",
                render: (model) => formatMicroUsd(model.outputMicrosPerMTok),
              },
              { key: "quality", header: "Quality", sortValue: (model) => model.qualityTier, render: (model) => `${model.qualityTier} / 5` },
              {
                key: "context",
                header: "Context",
                sortValue: (model) => model.contextWindow ?? 0,
                className: "text-right tabular-nums",
                render: (model) => (model.contextWindow ? `${formatNumber(model.contextWindow)} tokens` : "—"),
              },
              { key: "status", header: "Status", sortValue: (model) => model.status, render: (model) => <Badge tone={STATUS_TONE[model.status]}>{model.status}</Badge> },
              ...editColumn<Model>(canAdmin, (model) => `Edit model ${model.name}`, setEditing),
            ]}
          />
        )}
      </QueryBoundary>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "Add model" : "Edit model"}>
        {editing !== null ? <ModelForm model={editing === "new" ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Dialog>
    </Card>
  );
}

function ModelForm({ model, onDone }: { model: Model | null; onDone: () => void }) {
  const refresh = useRefreshRouting();
  const org = useOrg();
  const trpc = useTRPC();
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
        await refresh();
        onDone();
      },
    }),
  );
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value }));
  const check = useFormCheck(modelInput, { ...form, qualityTier: Number(form.qualityTier), contextWindow: form.contextWindow.trim() === "" ? null : Number(form.contextWindow) }, save.error);
  const field = (key: keyof typeof form, id: string) => ({
    id,
    value: form[key],
    onChange: set(key),
    "aria-invalid": check.errors[key] ? true : undefined,
    "aria-describedby": check.errors[key] ? `${id}-error` : undefined,
  });

  return (
    <form className="space-y-4" {...check.formProps((input) => save.mutate({ orgId: org.orgId, ...input }))}>
      <div className="grid grid-cols-2 gap-4">
        <Field label="Provider" htmlFor="model-provider" error={check.errors.provider}>
          <Input {...field("provider", "model-provider")} disabled={model !== null} />
        </Field>
        <Field label="Model name" htmlFor="model-name" error={check.errors.name}>
          <Input {...field("name", "model-name")} disabled={model !== null} />
        </Field>
        <Field label="Input price (USD per 1M tokens)" htmlFor="model-input" error={check.errors.inputUsdPerMTok}>
          <Input {...field("inputUsdPerMTok", "model-input")} inputMode="decimal" />
        </Field>
        <Field label="Output price (USD per 1M tokens)" htmlFor="model-output" error={check.errors.outputUsdPerMTok}>
          <Input {...field("outputUsdPerMTok", "model-output")} inputMode="decimal" />
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
        <Field label="Context window (tokens)" htmlFor="model-context" error={check.errors.contextWindow}>
          <Input {...field("contextWindow", "model-context")} inputMode="numeric" />
        </Field>
        <Field label="Status" htmlFor="model-status" hint="Routing uses active models only; disabled models are refused.">
          <Select id="model-status" value={form.status} onChange={set("status")}>
            {MODEL_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <FormError message={check.formError} />
      <FormButtons onCancel={onDone} submitLabel="Save model" pendingLabel="Saving…" pending={save.isPending} />
    </form>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge, errorMessage } from "@/components/ui/feedback";
import { Field, Input } from "@/components/ui/form";
import { validate } from "@/components/ui/form-check";
import { LocalTime } from "@/components/ui/local-time";
import { formToCedar } from "@/server/domain/policy/form";
import { createPolicyInput, updatePolicyInput } from "@/server/domain/policy/schemas";
import { CedarEditor } from "./cedar-editor";
import { formStateOf, ruleOf, STATUS_TONE, type FormState } from "./editor-model";
import { ImpactPanel, SimulatePanel, type DraftInput } from "./panels";
import { RuleFormFields } from "./rule-form";

type Policy = RouterOutputs["policies"]["get"];
type Source = DraftInput["source"];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Create or edit one policy: the everyday-rule form (Cedar shown live) or Cedar text, validated as you type. */
export function PolicyEditor({ policy, onClose }: { policy: Policy | null; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan("policies:write");
  const [name, setName] = useState(policy?.name ?? "");
  const [description, setDescription] = useState(policy?.description ?? "");
  const [mode, setMode] = useState<"form" | "cedar">(policy && !policy.form ? "cedar" : "form");
  const [form, setForm] = useState<FormState>(formStateOf(policy?.form ?? null));
  const [cedar, setCedar] = useState(policy?.cedar ?? "");
  const [confirming, setConfirming] = useState<null | "enforce" | "save-enforced">(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<string, string>>>({});

  const rule = useMemo(() => ruleOf(form), [form]);
  const generated = rule.ok ? formToCedar(rule.rule) : null;
  const source: Source | null = mode === "form" ? (rule.ok ? { kind: "form", form: rule.rule } : null) : cedar.trim() ? { kind: "cedar", cedar } : null;
  const debouncedSource = useDebounced(source, 300);
  const validation = useQuery({
    ...trpc.policies.validate.queryOptions({ orgId: org.orgId, source: debouncedSource ?? { kind: "cedar", cedar: "" } }),
    enabled: debouncedSource !== null,
    placeholderData: (previous) => previous,
  });
  const stale = JSON.stringify(source) !== JSON.stringify(debouncedSource);
  const valid = source !== null && !stale && validation.data?.ok === true;
  const problems = mode === "cedar" && !stale ? [...(validation.data?.errors ?? []), ...(validation.data?.warnings ?? [])] : [];
  const draft: DraftInput | null = valid && source ? { policyId: policy?.id ?? null, name: name.trim() || "Draft", source } : null;

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.policies.list.queryKey({ orgId: org.orgId }) });
    if (policy) await queryClient.invalidateQueries({ queryKey: trpc.policies.get.queryKey({ orgId: org.orgId, policyId: policy.id }) });
  };
  const create = useMutation(
    trpc.policies.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  const update = useMutation(trpc.policies.update.mutationOptions({ onSuccess: refresh }));
  const enforce = useMutation(trpc.policies.enforce.mutationOptions({ onSuccess: refresh }));
  const pending = create.isPending || update.isPending || enforce.isPending;
  const mutationError = create.error ?? update.error ?? enforce.error;

  const save = async (andEnforce: boolean) => {
    if (!source) return;
    setConfirming(null);
    // Checked with the very input schema of the procedure it goes to.
    if (!policy) {
      const checked = validate(createPolicyInput, { name, description, source, enforce: andEnforce });
      setFieldErrors(checked.ok ? {} : checked.errors);
      if (checked.ok) create.mutate({ orgId: org.orgId, ...checked.data });
      return;
    }
    const checked = validate(updatePolicyInput, { policyId: policy.id, name, description, source });
    setFieldErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    try {
      await update.mutateAsync({ orgId: org.orgId, ...checked.data });
      if (andEnforce && policy.status !== "enforced") await enforce.mutateAsync({ orgId: org.orgId, policyId: policy.id });
    } catch {
      // Shown from the mutation's error below.
    }
  };

  const switchMode = (next: "form" | "cedar") => {
    if (next === "cedar" && generated) setCedar(generated);
    setMode(next);
  };

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={policy ? `Edit “${policy.name}”` : "New policy"}
          description={
            policy ? (
              <>
                Version {policy.version} · <Badge tone={STATUS_TONE[policy.status]}>{policy.status}</Badge>
              </>
            ) : (
              "Start as a draft, simulate it and look at its impact, then enforce it."
            )
          }
          actions={
            <Button variant="ghost" onClick={onClose}>
              Close
            </Button>
          }
        />
        <div className="space-y-5 p-5">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Policy name" htmlFor="policy-name" error={fieldErrors.name}>
              <Input
                id="policy-name"
                value={name}
                maxLength={120}
                disabled={!canWrite}
                onChange={(event) => setName(event.target.value)}
                aria-invalid={fieldErrors.name ? true : undefined}
                aria-describedby={fieldErrors.name ? "policy-name-error" : undefined}
              />
            </Field>
            <Field label="Description" htmlFor="policy-description" error={fieldErrors.description}>
              <Input
                id="policy-description"
                value={description}
                maxLength={500}
                disabled={!canWrite}
                onChange={(event) => setDescription(event.target.value)}
                aria-invalid={fieldErrors.description ? true : undefined}
              />
            </Field>
          </div>

          <div role="radiogroup" aria-label="Write the policy as" className="inline-flex rounded-md ring-1 ring-slate-300">
            {(["form", "cedar"] as const).map((value) => (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={mode === value}
                onClick={() => switchMode(value)}
                className={`px-3 py-1.5 text-sm ${mode === value ? "bg-brand-600 text-white" : "bg-white text-slate-700"} first:rounded-l-md last:rounded-r-md`}
              >
                {value === "form" ? "Everyday rule" : "Cedar text"}
              </button>
            ))}
          </div>
          {mode === "cedar" && policy?.form ? <p className="text-xs text-slate-500">Saved as Cedar text, this policy will no longer open in the form.</p> : null}

          {mode === "form" ? (
            <div className="grid gap-6 lg:grid-cols-2">
              <RuleFormFields state={form} onChange={setForm} disabled={!canWrite} />
              <div>
                <p className="mb-1.5 text-sm font-medium text-slate-700">Generated Cedar</p>
                {rule.ok && generated ? (
                  <CedarEditor id="generated-cedar" label="Generated Cedar" value={generated} readOnly problems={!stale ? [...(validation.data?.errors ?? []), ...(validation.data?.warnings ?? [])] : []} />
                ) : (
                  <p role="alert" className="text-sm font-medium text-red-600">
                    {rule.ok ? "" : rule.message}
                  </p>
                )}
              </div>
            </div>
          ) : (
            <Field label="Cedar text" htmlFor="policy-cedar" hint="One or more permit / forbid statements. Checked against the schema as you type.">
              <CedarEditor id="policy-cedar" label="Cedar text" value={cedar} onChange={canWrite ? setCedar : undefined} readOnly={!canWrite} problems={problems} />
            </Field>
          )}

          <p className="text-sm" aria-live="polite">
            {source === null ? null : stale || validation.isFetching ? (
              <span className="text-slate-500">Checking…</span>
            ) : valid ? (
              <span className="font-medium text-emerald-700">Valid against the schema.</span>
            ) : validation.data ? (
              <span className="font-medium text-red-700">Not valid: fix the errors above before saving.</span>
            ) : null}
          </p>

          {mutationError ? (
            <p role="alert" className="whitespace-pre-line text-sm font-medium text-red-600">
              {errorMessage(mutationError)}
            </p>
          ) : null}
          {canWrite ? (
            <div className="flex flex-wrap gap-2">
              {policy?.status === "enforced" ? (
                <Button disabled={!valid || !name.trim() || pending} onClick={() => setConfirming("save-enforced")}>
                  Save changes
                </Button>
              ) : (
                <>
                  <Button variant="secondary" disabled={!valid || !name.trim() || pending} onClick={() => void save(false)}>
                    Save as draft
                  </Button>
                  <Button disabled={!valid || !name.trim() || pending} onClick={() => setConfirming("enforce")}>
                    Save and enforce
                  </Button>
                </>
              )}
            </div>
          ) : null}
        </div>
      </Card>

      {policy && policy.versions.length > 0 ? (
        <Card>
          <CardHeader title="History" description="Every version, as saved." />
          <ol className="divide-y divide-slate-100">
            {policy.versions.map((version) => (
              <li key={version.version} className="px-5 py-3 text-sm">
                <details>
                  <summary className="cursor-pointer">
                    Version {version.version} · <Badge tone={STATUS_TONE[version.status]}>{version.status}</Badge> · {version.createdBy ?? "unknown"} · <LocalTime value={version.createdAt} />
                  </summary>
                  <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-3 text-xs">{version.cedar}</pre>
                </details>
              </li>
            ))}
          </ol>
        </Card>
      ) : null}

      <SimulatePanel draft={draft} />
      <ImpactPanel draft={draft} />

      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} title={confirming === "enforce" ? "Enforce this policy?" : "Change an enforced policy?"}>
        <p className="text-sm text-slate-600">
          From the moment you confirm, every agent&apos;s decisions are weighed against it. Run Impact first to see which recent decisions would change. The change is recorded in the audit log.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button onClick={() => void save(true)}>{confirming === "enforce" ? "Enforce" : "Save and apply"}</Button>
        </div>
      </Dialog>
    </div>
  );
}

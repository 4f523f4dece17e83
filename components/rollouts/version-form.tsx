"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ChipsInput } from "@/components/agents/chips-input";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Dialog } from "@/components/ui/dialog";
import { errorMessage } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Input } from "@/components/ui/form";
import { createVersionSchema, updateVersionSchema, type VersionFields } from "@/server/domain/rollout/schemas";

const textarea =
  "block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-xs text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:ring-inset aria-[invalid=true]:ring-red-500";

export interface VersionDraft {
  label: string;
  model: string | null;
  systemPrompt: string;
  tools: string[];
  config: Record<string, unknown>;
  notes: string;
}

/** Create a version (a draft, often started from the stable one) or edit a draft. */
export function VersionFormDialog({
  open,
  onClose,
  agentId,
  editing,
  initial,
}: {
  open: boolean;
  onClose: () => void;
  agentId: string;
  /** The draft being edited, or null to create one. */
  editing: { id: string; label: string } | null;
  initial: VersionDraft;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={editing ? `Edit draft ${editing.label}` : "New version"}
      description={editing ? "Drafts can change until they are released; released versions are immutable." : "Saved as a draft. Release it when it is ready, then roll it out."}
    >
      <VersionForm agentId={agentId} editing={editing} initial={initial} onDone={onClose} />
    </Dialog>
  );
}

function VersionForm({ agentId, editing, initial, onDone }: { agentId: string; editing: { id: string } | null; initial: VersionDraft; onDone: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [label, setLabel] = useState(initial.label);
  const [model, setModel] = useState(initial.model ?? "");
  const [systemPrompt, setSystemPrompt] = useState(initial.systemPrompt);
  const [tools, setTools] = useState(initial.tools);
  const [configText, setConfigText] = useState(JSON.stringify(initial.config, null, 2));
  const [notes, setNotes] = useState(initial.notes);
  const [errors, setErrors] = useState<Partial<Record<keyof VersionFields, string>>>({});

  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() });
    onDone();
  };
  const create = useMutation(trpc.versions.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.versions.update.mutationOptions({ onSuccess: done }));
  const pending = create.isPending || update.isPending;
  const serverError = create.error ?? update.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.reset();
    update.reset();
    let config: unknown;
    try {
      config = configText.trim() === "" ? {} : JSON.parse(configText);
    } catch (error) {
      setErrors({ config: `Not valid JSON: ${(error as Error).message}` });
      return;
    }
    const fields = { label, model: model.trim() === "" ? null : model, systemPrompt, tools, config, notes };
    // Checked with the very input schema of the procedure it goes to.
    const parsed = editing ? updateVersionSchema.safeParse({ versionId: editing.id, fields }) : createVersionSchema.safeParse({ agentId, ...fields });
    if (!parsed.success) {
      const found: Partial<Record<keyof VersionFields, string>> = {};
      for (const issue of parsed.error.issues) {
        const key = (issue.path[0] === "fields" ? issue.path[1] : issue.path[0]) as keyof VersionFields;
        found[key] ??= key === "config" && issue.code === "invalid_type" ? 'The configuration must be a JSON object, such as {"temperature": 0}' : issue.message;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    if ("versionId" in parsed.data) update.mutate({ orgId: org.orgId, ...parsed.data });
    else create.mutate({ orgId: org.orgId, ...parsed.data });
  }

  return (
    <form className="space-y-4" onSubmit={submit} noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Label" htmlFor={`${id}-label`} error={errors.label ?? null} hint="Unique for this agent, e.g. 2.2.0.">
          <Input id={`${id}-label`} value={label} onChange={(event) => setLabel(event.target.value)} maxLength={60} aria-invalid={Boolean(errors.label)} />
        </Field>
        <Field label="Model" htmlFor={`${id}-model`} error={errors.model ?? null}>
          <Input id={`${id}-model`} value={model} onChange={(event) => setModel(event.target.value)} maxLength={100} placeholder="e.g. gpt-5-nano" />
        </Field>
      </div>
      <Field label="System prompt" htmlFor={`${id}-prompt`} error={errors.systemPrompt ?? null}>
        <textarea id={`${id}-prompt`} className={textarea} rows={8} value={systemPrompt} onChange={(event) => setSystemPrompt(event.target.value)} aria-invalid={Boolean(errors.systemPrompt)} />
      </Field>
      <Field label="Tools" htmlFor={`${id}-tools`} error={errors.tools ?? null} hint="Enter or a comma adds one.">
        <ChipsInput id={`${id}-tools`} values={tools} onChange={setTools} itemLabel="tool" placeholder="e.g. ticket_assign" invalid={Boolean(errors.tools)} />
      </Field>
      <Field label="Configuration (JSON)" htmlFor={`${id}-config`} error={errors.config ?? null}>
        <textarea id={`${id}-config`} className={textarea} rows={5} value={configText} onChange={(event) => setConfigText(event.target.value)} aria-invalid={Boolean(errors.config)} />
      </Field>
      <Field label="Notes" htmlFor={`${id}-notes`} error={errors.notes ?? null}>
        <Input id={`${id}-notes`} value={notes} onChange={(event) => setNotes(event.target.value)} maxLength={2000} placeholder="What changed and why" />
      </Field>
      <FormError message={serverError ? errorMessage(serverError) : null} />
      <FormButtons onCancel={onDone} submitLabel={editing ? "Save draft" : "Create draft"} pendingLabel="Saving…" pending={pending} />
    </form>
  );
}

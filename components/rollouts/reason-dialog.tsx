"use client";

import { useId, useState, type ReactNode } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Alert, errorMessage } from "@/components/ui/feedback";
import { Field, FormButtons } from "@/components/ui/form";
import { reasonSchema } from "@/server/domain/rollout/schemas";

/**
 * A confirmation that needs a reason (kept in the audit log and the release ledger): every
 * operator control goes through one. The server's refusal is shown here, in the dialog.
 */
export function ReasonDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  tone = "primary",
  pending,
  error,
  onConfirm,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  tone?: "primary" | "danger";
  pending: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  children?: ReactNode;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title} description={description} size="md">
      <ReasonForm confirmLabel={confirmLabel} tone={tone} pending={pending} error={error} onConfirm={onConfirm} onCancel={onClose}>
        {children}
      </ReasonForm>
    </Dialog>
  );
}

function ReasonForm({
  confirmLabel,
  tone,
  pending,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  confirmLabel: string;
  tone: "primary" | "danger";
  pending: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = reasonSchema.safeParse(reason);
        if (!parsed.success) {
          setInvalid(parsed.error.issues[0]?.message ?? "Say why");
          return;
        }
        setInvalid(null);
        onConfirm(parsed.data);
      }}
    >
      {children}
      <Field label="Reason" htmlFor={id} hint="Kept in the audit log and on the agent's timeline." error={invalid}>
        <textarea
          id={id}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          rows={3}
          maxLength={500}
          aria-invalid={invalid !== null}
          className="block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:ring-inset aria-[invalid=true]:ring-red-500"
        />
      </Field>
      {error ? (
        <Alert tone="bad" title="Not done">
          {errorMessage(error)}
        </Alert>
      ) : null}
      <FormButtons onCancel={onCancel} submitLabel={confirmLabel} pendingLabel="Working…" pending={pending} danger={tone === "danger"} />
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { SubmitRow } from "@/components/auth/public-page";
import { Field, Input } from "@/components/ui/form";
import { requestReset, type ResetRequestState } from "./actions";

export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState<ResetRequestState, FormData>(requestReset, { error: null, requestedFor: null });
  if (state.requestedFor) {
    return (
      <div role="status" className="space-y-3 text-sm text-slate-700">
        <p>
          If <strong className="text-slate-900">{state.requestedFor}</strong> has an Agentry account with a password, a reset link valid for one hour has been issued.
        </p>
        <p>
          This server sends no email: the link is written to the server&apos;s log. Ask whoever runs Agentry for your organisation to pass it on to you. The link works once; using it signs the account out
          everywhere.
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="Email" htmlFor="forgot-email" error={state.error}>
        <Input id="forgot-email" name="email" type="email" autoComplete="username" required aria-invalid={Boolean(state.error)} aria-describedby={state.error ? "forgot-email-error" : undefined} />
      </Field>
      <SubmitRow pending={pending} label="Request a reset link" pendingLabel="Requesting…" />
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/form";
import { MIN_PASSWORD_LENGTH } from "@/server/domain/account/password-change";
import { setNewPassword, type ResetState } from "./actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ResetState, FormData>(setNewPassword.bind(null, token), { error: null, fieldErrors: {} });
  const errors = state.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="New password" htmlFor="reset-password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={errors.password}>
        <Input id="reset-password" name="password" type="password" autoComplete="new-password" required aria-invalid={Boolean(errors.password)} aria-describedby={errors.password ? "reset-password-error" : undefined} />
      </Field>
      <Field label="Repeat the new password" htmlFor="reset-confirm" error={errors.confirmPassword}>
        <Input id="reset-confirm" name="confirmPassword" type="password" autoComplete="new-password" required aria-invalid={Boolean(errors.confirmPassword)} aria-describedby={errors.confirmPassword ? "reset-confirm-error" : undefined} />
      </Field>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm font-medium text-red-700 ring-1 ring-red-200 ring-inset">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { PasswordField, SubmitRow } from "@/components/auth/public-page";
import { MIN_PASSWORD_LENGTH } from "@/server/domain/account/password-change";
import { setNewPassword, type ResetState } from "./actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ResetState, FormData>(setNewPassword.bind(null, token), { error: null, fieldErrors: {} });
  const errors = state.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      <PasswordField id="reset-password" name="password" label="New password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={errors.password} />
      <PasswordField id="reset-confirm" name="confirmPassword" label="Repeat the new password" error={errors.confirmPassword} />
      <SubmitRow error={state.error} pending={pending} label="Set new password" pendingLabel="Saving…" />
    </form>
  );
}

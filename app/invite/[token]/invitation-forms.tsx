"use client";

import { useActionState } from "react";
import { PasswordField, SubmitRow } from "@/components/auth/public-page";
import { Field, Input } from "@/components/ui/form";
import { MIN_PASSWORD_LENGTH } from "@/server/domain/account/password-change";
import { acceptAsSignedIn, createAccountAndAccept, type AcceptState } from "./actions";

const initial: AcceptState = { error: null, fieldErrors: {}, name: "" };

export function AcceptAsSignedInForm({ token, orgName }: { token: string; orgName: string }) {
  const [state, action, pending] = useActionState<AcceptState>(() => acceptAsSignedIn(token), initial);
  return (
    <form action={action} className="space-y-4">
      <SubmitRow error={state.error} pending={pending} label={`Join ${orgName}`} pendingLabel="Joining…" />
    </form>
  );
}

export function NewAccountForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(createAccountAndAccept.bind(null, token), initial);
  const errors = state.fieldErrors;
  const described = (field: keyof AcceptState["fieldErrors"], id: string) => (errors[field] ? `${id}-error` : undefined);
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="Email" htmlFor="invite-account-email" hint="The invited address: it becomes your sign-in.">
        <Input id="invite-account-email" type="email" value={email} readOnly autoComplete="username" />
      </Field>
      <Field label="Your name" htmlFor="invite-account-name" error={errors.name}>
        <Input id="invite-account-name" name="name" autoComplete="name" required defaultValue={state.name} aria-invalid={Boolean(errors.name)} aria-describedby={described("name", "invite-account-name")} />
      </Field>
      <PasswordField id="invite-account-password" name="password" label="Password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={errors.password} />
      <PasswordField id="invite-account-confirm" name="confirmPassword" label="Repeat the password" error={errors.confirmPassword} />
      <SubmitRow error={state.error} pending={pending} label="Create account and join" pendingLabel="Creating your account…" />
    </form>
  );
}

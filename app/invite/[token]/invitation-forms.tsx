"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/form";
import { MIN_PASSWORD_LENGTH } from "@/server/domain/account/password-change";
import { acceptAsSignedIn, createAccountAndAccept, type AcceptState } from "./actions";

const initial: AcceptState = { error: null, fieldErrors: {}, name: "" };

function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm font-medium text-red-700 ring-1 ring-red-200 ring-inset">
      {message}
    </p>
  );
}

export function AcceptAsSignedInForm({ token, orgName }: { token: string; orgName: string }) {
  const [state, action, pending] = useActionState<AcceptState>(() => acceptAsSignedIn(token), initial);
  return (
    <form action={action} className="space-y-4">
      <FormError message={state.error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${orgName}`}
      </Button>
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
      <Field label="Password" htmlFor="invite-account-password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={errors.password}>
        <Input
          id="invite-account-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={Boolean(errors.password)}
          aria-describedby={described("password", "invite-account-password")}
        />
      </Field>
      <Field label="Repeat the password" htmlFor="invite-account-confirm" error={errors.confirmPassword}>
        <Input
          id="invite-account-confirm"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={Boolean(errors.confirmPassword)}
          aria-describedby={described("confirmPassword", "invite-account-confirm")}
        />
      </Field>
      <FormError message={state.error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}

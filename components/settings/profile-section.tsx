"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/feedback";
import { Field, FormError, Input } from "@/components/ui/form";
import { ROLE_LABELS } from "@/server/domain/access/permissions";
import { changePasswordInput, MIN_PASSWORD_LENGTH } from "@/server/domain/account/password-change";
import { formLevelMessage, serverFieldErrors, validate } from "@/components/ui/form-check";

type PasswordField = "currentPassword" | "newPassword" | "confirmPassword";

export function ProfileSection() {
  const org = useOrg();
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Your profile" description="Your account is the same in every organisation you belong to." />
        <dl className="grid grid-cols-1 gap-x-6 gap-y-4 px-5 py-5 sm:grid-cols-3">
          <div>
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Name</dt>
            <dd className="mt-1 text-sm text-slate-900">{org.user.name}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Email</dt>
            <dd className="mt-1 text-sm text-slate-900">{org.user.email}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Role in {org.name}</dt>
            <dd className="mt-1">
              <Badge tone="info">{ROLE_LABELS[org.role]}</Badge>
            </dd>
          </div>
        </dl>
      </Card>
      <Card>
        <CardHeader title="Change password" description="Other devices where you are signed in stay signed in." />
        <div className="px-5 py-5">
          <ChangePasswordForm />
        </div>
      </Card>
    </div>
  );
}

function ChangePasswordForm() {
  const org = useOrg();
  const trpc = useTRPC();
  const [values, setValues] = useState<Record<PasswordField, string>>({ currentPassword: "", newPassword: "", confirmPassword: "" });
  const [clientErrors, setClientErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const [done, setDone] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => {
        setValues({ currentPassword: "", newPassword: "", confirmPassword: "" });
        setDone(true);
      },
    }),
  );
  const errors = { ...serverFieldErrors<PasswordField>(change.error), ...clientErrors };
  const formError = formLevelMessage(change.error);

  function set(field: PasswordField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setClientErrors((current) => ({ ...current, [field]: undefined }));
    setDone(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const checked = validate(changePasswordInput, { currentPassword: values.currentPassword, newPassword: values.newPassword });
    const next: Partial<Record<PasswordField, string>> = checked.ok ? {} : { ...checked.errors };
    if (values.confirmPassword !== values.newPassword) next.confirmPassword = "The two new passwords differ";
    if (!checked.ok || next.confirmPassword) {
      setClientErrors(next);
      return;
    }
    setClientErrors({});
    change.mutate(checked.data);
  }

  const input = (field: PasswordField, label: string, autoComplete: string, hint?: string) => {
    const id = `password-${field}`;
    return (
      <Field label={label} htmlFor={id} hint={hint} error={errors[field]}>
        <Input
          id={id}
          type="password"
          autoComplete={autoComplete}
          value={values[field]}
          onChange={(event) => set(field, event.target.value)}
          aria-invalid={Boolean(errors[field])}
          aria-describedby={errors[field] ? `${id}-error` : undefined}
        />
      </Field>
    );
  };

  return (
    <form onSubmit={submit} noValidate className="max-w-md space-y-4">
      {/* Lets password managers tie the new password to the right account. */}
      <input type="text" hidden name="username" autoComplete="username" value={org.user.email} readOnly />
      {input("currentPassword", "Current password", "current-password")}
      {input("newPassword", "New password", "new-password", `At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a good one.`)}
      {input("confirmPassword", "Confirm new password", "new-password")}
      <FormError message={formError} />
      {done ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-700 ring-1 ring-emerald-200 ring-inset">
          Password changed. Use the new one next time you sign in.
        </p>
      ) : null}
      <Button type="submit" disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

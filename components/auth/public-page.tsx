import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/form";

/** The frame of the pages people see before they are in an organisation: sign-in, invitations, password resets. */
export function PublicPage({ title, description, children, width = "sm" }: { title: string; description?: ReactNode; children: ReactNode; width?: "sm" | "md" }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className={width === "sm" ? "w-full max-w-sm" : "w-full max-w-lg"}>
        <div className="mb-8 flex items-center gap-2">
          <span aria-hidden className="grid h-9 w-9 place-items-center rounded-lg bg-brand-600 text-lg font-bold text-white">
            A
          </span>
          <span className="text-xl font-semibold tracking-tight">Agentry</span>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h1 className="mb-1 text-lg font-semibold">{title}</h1>
          {description ? <div className="mb-6 text-sm text-slate-500">{description}</div> : null}
          {children}
        </div>
      </div>
    </main>
  );
}

export function Notice({ tone = "info", children }: { tone?: "info" | "error" | "success"; children: ReactNode }) {
  const tones = {
    info: "bg-slate-50 text-slate-700 ring-slate-200",
    error: "bg-red-50 text-red-700 ring-red-200",
    success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  };
  return (
    <p role={tone === "error" ? "alert" : "status"} className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </p>
  );
}

/** The way on from a public page: a link under its card. */
export function PageLink({ href, children, centred = false }: { href: string; children: ReactNode; centred?: boolean }) {
  return (
    <p className={centred ? "mt-6 text-center text-sm" : "mt-6 text-sm"}>
      <Link href={href} className="font-medium text-brand-700 hover:underline">
        {children}
      </Link>
    </p>
  );
}

/** The end of a public form: why it was refused, if it was, and the one button that sends it. */
export function SubmitRow({ error, pending, label, pendingLabel }: { error?: string | null; pending: boolean; label: string; pendingLabel: string }) {
  return (
    <>
      <FormError message={error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
    </>
  );
}

/** A new password (or its repetition), with its rule as the hint and its refusal announced. */
export function PasswordField({ id, name, label, hint, error }: { id: string; name: string; label: string; hint?: string; error?: string }) {
  return (
    <Field label={label} htmlFor={id} hint={hint} error={error}>
      <Input id={id} name={name} type="password" autoComplete="new-password" required aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} />
    </Field>
  );
}

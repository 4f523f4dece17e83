"use server";

import { redirect } from "next/navigation";
import { resetPassword } from "@/server/data/password-resets";
import { getDb } from "@/server/db";
import { passwordResetInput } from "@/server/domain/invitations/schemas";

export interface ResetState {
  error: string | null;
  fieldErrors: Partial<Record<"password" | "confirmPassword", string>>;
}

export async function setNewPassword(token: string, _previous: ResetState, form: FormData): Promise<ResetState> {
  const parsed = passwordResetInput.safeParse({ password: String(form.get("password") ?? ""), confirmPassword: String(form.get("confirmPassword") ?? "") });
  if (!parsed.success) {
    const fieldErrors: ResetState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as keyof ResetState["fieldErrors"]] ??= issue.message;
    return { error: null, fieldErrors };
  }
  const result = await resetPassword(getDb(), token, parsed.data.password);
  if (!result.ok) return { error: "This reset link can no longer be used: it has expired or been used. Request a new one.", fieldErrors: {} };
  redirect("/signin?reset=done");
}

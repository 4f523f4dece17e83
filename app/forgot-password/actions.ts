"use server";

import { requestPasswordReset } from "@/server/data/password-resets";
import { getDb } from "@/server/db";
import { passwordResetRequestInput } from "@/server/domain/invitations/schemas";
import { runtimeEnv } from "@/server/env";
import { logInfo } from "@/server/runtime/log";

export interface ResetRequestState {
  error: string | null;
  /** The address the request was taken for (the answer is the same whether or not it has an account). */
  requestedFor: string | null;
}

export async function requestReset(_previous: ResetRequestState, form: FormData): Promise<ResetRequestState> {
  const parsed = passwordResetRequestInput.safeParse({ email: String(form.get("email") ?? "") });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Enter a valid email address", requestedFor: null };
  const issued = await requestPasswordReset(getDb(), parsed.data.email);
  if (issued) {
    // No mail transport: the link goes to the server's log, for the operator to pass on.
    const base = runtimeEnv().AGENTRY_PUBLIC_URL ?? "";
    logInfo("password reset link issued", {
      event: "password_reset_link",
      email: issued.email,
      url: `${base}/reset-password/${issued.token}`,
      expiresAt: issued.expiresAt.toISOString(),
    });
  }
  return { error: null, requestedFor: parsed.data.email };
}

"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/server/auth";
import { currentUserId } from "@/server/auth/session";
import { acceptInvitationAsUser, acceptInvitationWithNewAccount, type AcceptRefusal } from "@/server/data/invitations";
import { getDb } from "@/server/db";
import { newAccountInput } from "@/server/domain/invitations/schemas";

export interface AcceptState {
  error: string | null;
  fieldErrors: Partial<Record<"name" | "password" | "confirmPassword", string>>;
  name: string;
}

const REFUSALS: Record<AcceptRefusal, string> = {
  invalid: "This invitation can no longer be used: it has expired, been used or been revoked. Ask whoever invited you for a new link.",
  wrong_account: "This invitation is for another address than the account you are signed in with.",
  account_exists: "This address already has an Agentry account. Sign in to it to accept the invitation; if you forgot its password, reset it first.",
  already_member: "You are already a member of this organisation.",
};

/** The signed-in person joins the inviting org (their account's address must be the invited one). */
export async function acceptAsSignedIn(token: string): Promise<AcceptState> {
  const userId = await currentUserId();
  if (!userId) redirect(`/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`);
  const result = await acceptInvitationAsUser(getDb(), token, userId);
  if (result.ok) redirect(`/${result.orgSlug}`);
  return { error: REFUSALS[result.reason], fieldErrors: {}, name: "" };
}

/** Someone new makes their account for the invited address, joins, and is signed in. */
export async function createAccountAndAccept(token: string, _previous: AcceptState, form: FormData): Promise<AcceptState> {
  const name = String(form.get("name") ?? "");
  const parsed = newAccountInput.safeParse({ name, password: String(form.get("password") ?? ""), confirmPassword: String(form.get("confirmPassword") ?? "") });
  if (!parsed.success) {
    const fieldErrors: AcceptState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof AcceptState["fieldErrors"];
      fieldErrors[field] ??= issue.message;
    }
    return { error: null, fieldErrors, name };
  }
  const db = getDb();
  const result = await acceptInvitationWithNewAccount(db, token, { name: parsed.data.name, password: parsed.data.password });
  if (!result.ok) return { error: REFUSALS[result.reason], fieldErrors: {}, name };
  const user = await db.user.findUniqueOrThrow({ where: { id: result.userId }, select: { email: true } });
  // Signing in redirects by throwing; the new account has no failed attempts to slow it down.
  await signIn("credentials", { email: user.email, password: parsed.data.password, redirectTo: `/${result.orgSlug}` });
  return { error: null, fieldErrors: {}, name };
}

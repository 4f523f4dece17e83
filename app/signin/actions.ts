"use server";

import { AuthError } from "next-auth";
import { safeCallbackPath } from "@/components/auth/callback-path";
import { signIn } from "@/server/auth";

export interface SignInState {
  error: string | null;
  email: string;
}

const MESSAGES: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  too_many_attempts: "Too many failed attempts for this email. Wait a few minutes and try again.",
};

export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  const callbackUrl = String(form.get("callbackUrl") ?? "/");
  if (!email.trim() || !password) return { error: "Enter your email and password.", email };
  try {
    // A successful sign-in redirects by throwing; only AuthErrors are ours to show.
    await signIn("credentials", { email, password, redirectTo: safeCallbackPath(callbackUrl) });
    return { error: null, email };
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code ?? "invalid_credentials";
      return { error: MESSAGES[code] ?? MESSAGES.invalid_credentials ?? "Sign-in failed.", email };
    }
    throw error;
  }
}

export async function signInWithSso(form: FormData): Promise<void> {
  const callbackUrl = String(form.get("callbackUrl") ?? "/");
  await signIn("oidc", { redirectTo: safeCallbackPath(callbackUrl) });
}

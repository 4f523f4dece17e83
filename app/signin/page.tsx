import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/components/auth/callback-path";
import { Notice, PublicPage } from "@/components/auth/public-page";
import { buttonClass } from "@/components/ui/button";
import { currentUserId } from "@/server/auth/session";
import { oidcConfigured } from "@/server/env";
import { signInWithSso } from "./actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; reset?: string }> }) {
  const { callbackUrl: requested, error, reset } = await searchParams;
  const callbackUrl = safeCallbackPath(requested);
  if (await currentUserId()) redirect(callbackUrl);
  const sso = oidcConfigured();
  return (
    <PublicPage title="Sign in" description="The control plane for your organisation's AI agents.">
      <div className="space-y-4">
        {reset === "done" ? <Notice tone="success">Your password was changed and every session of your account was ended. Sign in with the new password.</Notice> : null}
        {error && error !== "CredentialsSignin" ? <Notice tone="error">Single sign-on did not complete. Try again or use your password.</Notice> : null}
        <SignInForm callbackUrl={callbackUrl} />
        <p className="text-center text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-700 hover:underline">
            Forgot your password?
          </Link>
        </p>
      </div>
      {sso ? (
        <form action={signInWithSso} className="mt-4 border-t border-slate-200 pt-4">
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className={buttonClass("secondary", "md", "w-full")}>
            Sign in with single sign-on
          </button>
        </form>
      ) : null}
    </PublicPage>
  );
}

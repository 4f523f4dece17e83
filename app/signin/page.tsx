import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { currentUserId } from "@/server/auth/session";
import { oidcConfigured } from "@/server/env";
import { signInWithSso } from "./actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl = "/", error } = await searchParams;
  if (await currentUserId()) redirect("/");
  const sso = oidcConfigured();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-2">
          <span aria-hidden className="grid h-9 w-9 place-items-center rounded-lg bg-brand-600 text-lg font-bold text-white">A</span>
          <span className="text-xl font-semibold tracking-tight">Agentry</span>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
          <p className="mb-6 text-sm text-slate-500">The control plane for your organisation&apos;s AI agents.</p>
          {error && error !== "CredentialsSignin" ? (
            <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset">
              Single sign-on did not complete. Try again or use your password.
            </p>
          ) : null}
          <SignInForm callbackUrl={callbackUrl} />
          {sso ? (
            <form action={signInWithSso} className="mt-4 border-t border-slate-200 pt-4">
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <button type="submit" className={buttonClass("secondary", "md", "w-full")}>
                Sign in with single sign-on
              </button>
            </form>
          ) : null}
        </div>
      </div>
    </main>
  );
}

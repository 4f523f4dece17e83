import type { Metadata } from "next";
import { PageLink, PublicPage } from "@/components/auth/public-page";
import { resetLinkIsUsable } from "@/server/data/password-resets";
import { getDb } from "@/server/db";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Set a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!(await resetLinkIsUsable(getDb(), token))) {
    return (
      <PublicPage title="This reset link cannot be used">
        <p className="text-sm text-slate-600">It has expired (links last one hour) or has been used already.</p>
        <PageLink href="/forgot-password">Request a new link</PageLink>
      </PublicPage>
    );
  }
  return (
    <PublicPage title="Set a new password" description="Choose a new password. Every session of your account ends when it is set.">
      <ResetPasswordForm token={token} />
    </PublicPage>
  );
}

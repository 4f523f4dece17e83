import type { Metadata } from "next";
import { PageLink, PublicPage } from "@/components/auth/public-page";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <PublicPage title="Forgot your password?" description="Request a single-use link to set a new one. No administrator ever sees your password or sets it for you.">
      <ForgotPasswordForm />
      <PageLink href="/signin" centred>
        Back to sign-in
      </PageLink>
    </PublicPage>
  );
}

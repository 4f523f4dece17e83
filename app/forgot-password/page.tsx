import type { Metadata } from "next";
import Link from "next/link";
import { PublicPage } from "@/components/auth/public-page";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <PublicPage
      title="Forgot your password?"
      description="Request a single-use link to set a new one. No administrator ever sees your password or sets it for you."
    >
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm">
        <Link href="/signin" className="font-medium text-brand-700 hover:underline">
          Back to sign-in
        </Link>
      </p>
    </PublicPage>
  );
}

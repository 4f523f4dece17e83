import type { Metadata } from "next";
import Link from "next/link";
import { Notice, PageLink, PublicPage } from "@/components/auth/public-page";
import { buttonClass } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { signOut } from "@/server/auth";
import { currentUserId } from "@/server/auth/session";
import { findInvitationByToken } from "@/server/data/invitations";
import { getDb } from "@/server/db";
import { ROLE_LABELS } from "@/server/domain/access/permissions";
import { AcceptAsSignedInForm, NewAccountForm } from "./invitation-forms";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  const invitation = await findInvitationByToken(db, token);
  if (!invitation || invitation.status !== "pending") {
    return (
      <PublicPage title="This invitation cannot be used">
        <p className="text-sm text-slate-600">The link has expired (invitations last seven days), has been used already, or was revoked. Ask whoever invited you for a new one.</p>
        <PageLink href="/signin">Go to sign-in</PageLink>
      </PublicPage>
    );
  }

  const here = `/invite/${token}`;
  const userId = await currentUserId();
  const signedInAs = userId ? await db.user.findUnique({ where: { id: userId }, select: { email: true } }) : null;
  const description = (
    <>
      {invitation.invitedByLabel} invited <strong className="text-slate-900">{invitation.email}</strong> to join <strong className="text-slate-900">{invitation.orgName}</strong> as{" "}
      {ROLE_LABELS[invitation.role]}. The invitation is valid until <LocalTime value={invitation.expiresAt} />.
    </>
  );

  if (signedInAs && signedInAs.email === invitation.email) {
    return (
      <PublicPage title={`Join ${invitation.orgName}`} description={description}>
        <AcceptAsSignedInForm token={token} orgName={invitation.orgName} />
      </PublicPage>
    );
  }

  if (signedInAs) {
    return (
      <PublicPage title={`Join ${invitation.orgName}`} description={description}>
        <Notice>
          You are signed in as <strong>{signedInAs.email}</strong>. This invitation is for {invitation.email}: sign out, then sign in to that account or create it.
        </Notice>
        <form
          className="mt-4"
          action={async () => {
            "use server";
            await signOut({ redirectTo: here });
          }}
        >
          <button type="submit" className={buttonClass("secondary", "md", "w-full")}>
            Sign out
          </button>
        </form>
      </PublicPage>
    );
  }

  return (
    <PublicPage title={`Join ${invitation.orgName}`} description={description} width="md">
      <section aria-labelledby="existing-account" className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200 ring-inset">
        <h2 id="existing-account" className="text-sm font-semibold text-slate-900">
          Already have an Agentry account for {invitation.email}?
        </h2>
        <p className="mt-1 text-sm text-slate-600">Sign in to it and you come back here to accept. Your password stays yours: the invitation only adds {invitation.orgName}.</p>
        <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className={buttonClass("secondary", "md", "mt-3")}>
          Sign in to accept
        </Link>
      </section>
      <section aria-labelledby="new-account" className="mt-6">
        <h2 id="new-account" className="mb-3 text-sm font-semibold text-slate-900">
          New to Agentry? Create your account
        </h2>
        <NewAccountForm token={token} email={invitation.email} />
      </section>
    </PublicPage>
  );
}

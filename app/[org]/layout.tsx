import Link from "next/link";
import type { ReactNode } from "react";
import { Nav } from "@/components/shell/nav";
import { OrgProvider } from "@/components/shell/org-context";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { Badge } from "@/components/ui/feedback";
import { permissionsOf, ROLE_LABELS } from "@/server/domain/access/permissions";
import { pageMembership } from "../_trpc/server";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  // Not a member: the org does not exist as far as this user can tell (a 404).
  const membership = await pageMembership(slug);

  return (
    <OrgProvider
      value={{
        orgId: membership.orgId,
        slug: membership.orgSlug,
        name: membership.orgName,
        role: membership.role,
        permissions: permissionsOf(membership.role),
        teamIds: membership.teamIds,
        user: { id: membership.userId, email: membership.userEmail, name: membership.userName },
      }}
    >
      <div className="flex min-h-screen">
        {/* The dark column runs the page's whole height; the sidebar in it stays in view as the page scrolls. */}
        <div className="w-60 shrink-0 bg-slate-900">
          <aside className="sticky top-0 flex h-screen flex-col px-3 py-4">
            <Link href={`/${membership.orgSlug}`} className="mb-6 flex items-center gap-2 px-3 text-white">
              <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-brand-500 text-sm font-bold">
                A
              </span>
              <span className="text-base font-semibold tracking-tight">Agentry</span>
            </Link>
            <p className="mb-2 px-3 text-xs font-medium tracking-wide text-slate-400 uppercase">{membership.orgName}</p>
            <div className="-mx-1 min-h-0 flex-1 overflow-y-auto px-1">
              <Nav slug={membership.orgSlug} />
            </div>
            <div className="mt-4 border-t border-white/10 px-3 pt-4">
              <p className="truncate text-sm font-medium text-white" title={membership.userEmail}>
                {membership.userName}
              </p>
              <p className="truncate text-xs text-slate-400">{membership.userEmail}</p>
              <div className="mt-2 flex items-center justify-between">
                <Badge tone="info">{ROLE_LABELS[membership.role]}</Badge>
                <SignOutButton />
              </div>
            </div>
          </aside>
        </div>
        <main className="min-w-0 flex-1 px-8 py-8">{children}</main>
      </div>
    </OrgProvider>
  );
}

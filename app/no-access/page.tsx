import type { Metadata } from "next";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { getDb } from "@/server/db";
import { requireUserId } from "@/server/auth/session";

export const metadata: Metadata = { title: "No access" };

export default async function NoAccessPage() {
  const userId = await requireUserId();
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { email: true } });
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-lg font-semibold">You are not a member of any organisation</h1>
        <p className="mt-2 text-sm text-slate-600">
          You are signed in as <strong>{user?.email}</strong>, but this account is not a member of any organisation yet. Ask an administrator of your organisation for an invitation link (they make one under{" "}
          <em>Settings → Members</em>) and open it.
        </p>
        <div className="mt-6 rounded-md bg-slate-900 px-4 py-2 text-slate-200 [&_button]:text-sm">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}

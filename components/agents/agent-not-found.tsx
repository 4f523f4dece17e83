"use client";

import Link from "next/link";
import { useOrg } from "@/components/shell/org-context";
import { buttonClass } from "@/components/ui/button";

export function AgentNotFound() {
  const org = useOrg();
  return (
    <div className="flex min-h-[50vh] items-center justify-center px-4">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">No such agent</h1>
        <p className="mt-2 text-sm text-slate-600">There is no agent with this id in {org.name}. It may be a mistyped link.</p>
        <Link href={`/${org.slug}/agents`} className={buttonClass("secondary", "md", "mt-6")}>
          Back to the agents
        </Link>
      </div>
    </div>
  );
}

"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { OPEN_ALERTS_DESCRIPTION_ID, OpenAlertsBadge } from "@/components/alerts/open-badge";
import { PENDING_BADGE_DESCRIPTION_ID, PendingApprovalsBadge } from "@/components/approvals/pending-badge";
import { cn } from "@/components/ui/cn";

export const NAV_ITEMS = [
  { href: "", label: "Overview" },
  { href: "/agents", label: "Agents" },
  { href: "/events", label: "Events" },
  { href: "/policies", label: "Policies" },
  { href: "/approvals", label: "Approvals" },
  { href: "/alerts", label: "Alerts" },
  { href: "/budgets", label: "Budgets" },
  { href: "/routing", label: "Routing" },
  { href: "/rollouts", label: "Rollouts" },
  { href: "/compliance", label: "Compliance" },
  { href: "/audit", label: "Audit" },
  { href: "/kill-switches", label: "Kill switches" },
  { href: "/settings", label: "Settings" },
] as const;

export function Nav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/${slug}`;
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {NAV_ITEMS.map((item) => {
        const href = `${base}${item.href}`;
        const active = item.href === "" ? pathname === base : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={item.label}
            href={href}
            aria-current={active ? "page" : undefined}
            aria-describedby={item.href === "/approvals" ? PENDING_BADGE_DESCRIPTION_ID : item.href === "/alerts" ? OPEN_ALERTS_DESCRIPTION_ID : undefined}
            className={cn("flex items-center rounded-md px-3 py-2 text-sm font-medium", active ? "bg-white/10 text-white" : "text-slate-300 hover:bg-white/5 hover:text-white")}
          >
            {item.label}
            {item.href === "/approvals" ? <PendingApprovalsBadge /> : null}
            {item.href === "/alerts" ? <OpenAlertsBadge /> : null}
          </Link>
        );
      })}
    </nav>
  );
}

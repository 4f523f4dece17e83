"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export const NAV_ITEMS = [
  { href: "", label: "Overview" },
  { href: "/agents", label: "Agents" },
  { href: "/policies", label: "Policies" },
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
            className={cn(
              "rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-white/10 text-white" : "text-slate-300 hover:bg-white/5 hover:text-white",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}

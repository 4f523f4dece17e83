"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCan, useOrg } from "@/components/shell/org-context";
import { Card, PageHeader } from "@/components/ui/card";
import { Badge, QueryError, Skeleton } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { useTRPC } from "@/components/trpc/react";

function Stat({ label, value, href }: { label: string; value: React.ReactNode; href?: string }) {
  const body = (
    <>
      <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</p>
      <div className="mt-2 text-2xl font-semibold tabular-nums text-slate-900">{value}</div>
    </>
  );
  return <Card className="px-5 py-4">{href ? <Link href={href} className="block">{body}</Link> : body}</Card>;
}

export function OverviewPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const canReadAudit = useCan("audit:read");
  const details = useQuery(trpc.org.get.queryOptions({ orgId: org.orgId }));
  const chain = useQuery({ ...trpc.audit.verify.queryOptions({ orgId: org.orgId }), enabled: canReadAudit });

  return (
    <>
      <PageHeader title={org.name} description="The organisation at a glance. Agent, cost and health figures appear here as agents report in." />
      {details.error ? <QueryError error={details.error} retry={() => void details.refetch()} /> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Teams" value={details.data ? details.data.teamCount : <Skeleton className="h-8 w-12" />} />
        <Stat label="Members" value={details.data ? details.data.memberCount : <Skeleton className="h-8 w-12" />} />
        {canReadAudit ? (
          <Stat
            label="Audit chain"
            href={`/${org.slug}/audit`}
            value={
              chain.data ? (
                chain.data.ok ? (
                  <Badge tone="good">Verified · {chain.data.count} entries</Badge>
                ) : (
                  <Badge tone="bad">Broken at entry {chain.data.brokenAt.seq ?? "?"}</Badge>
                )
              ) : chain.error ? (
                <Badge tone="warn">Not checked</Badge>
              ) : (
                <Skeleton className="h-8 w-32" />
              )
            }
          />
        ) : null}
        <Stat label="Organisation since" value={details.data ? <span className="text-base"><LocalTime value={details.data.createdAt} /></span> : <Skeleton className="h-8 w-32" />} />
      </div>
    </>
  );
}

import type { Metadata } from "next";
import { OverviewPage } from "@/components/overview/overview-page";
import { HydrateClient, orgPage, prefetch, trpc } from "../_trpc/server";

export const metadata: Metadata = { title: "Overview" };

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { orgId, can } = await orgPage(params);
  await prefetch(trpc.overview.summary.queryOptions({ orgId }), can("audit:read") && trpc.audit.verify.queryOptions({ orgId }));
  return (
    <HydrateClient>
      <OverviewPage />
    </HydrateClient>
  );
}

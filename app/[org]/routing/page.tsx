import type { Metadata } from "next";
import { RoutingPage } from "@/components/routing/routing-page";
import { HydrateClient, orgPage, prefetch, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Routing" };

export default async function Page({ params }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  await prefetch(trpc.routing.overview.queryOptions({ orgId }), trpc.routing.savings.queryOptions({ orgId, days: 30 }), trpc.models.list.queryOptions({ orgId }));
  return (
    <HydrateClient>
      <RoutingPage />
    </HydrateClient>
  );
}

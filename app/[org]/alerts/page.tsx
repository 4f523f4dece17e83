import type { Metadata } from "next";
import { AlertsPage } from "@/components/alerts/alerts-page";
import { alertListFilter, ALERTS_PAGE_SIZE } from "@/components/alerts/present";
import { byNextCursor } from "@/components/trpc/paging";
import { HydrateClient, orgPage, prefetch, searchParamsOf, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Alerts" };

export default async function Page({ params, searchParams }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  const filter = alertListFilter(await searchParamsOf(searchParams));
  await prefetch(trpc.alerts.list.infiniteQueryOptions({ orgId, ...filter, limit: ALERTS_PAGE_SIZE }, byNextCursor));
  return (
    <HydrateClient>
      <AlertsPage />
    </HydrateClient>
  );
}

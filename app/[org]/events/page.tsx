import type { Metadata } from "next";
import { EVENT_PAGE_SIZE, readEventSearch, toEventListInput } from "@/components/events/event-search";
import { EventsPage } from "@/components/events/events-page";
import { byNextCursor } from "@/components/trpc/paging";
import { HydrateClient, orgPage, prefetch, searchParamsOf, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Events" };

export default async function Page({ params, searchParams }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  // The filters are in the URL as instants, so the server reads them exactly as the browser will.
  const search = readEventSearch(await searchParamsOf(searchParams));
  await prefetch(
    trpc.events.list.infiniteQueryOptions({ orgId, ...toEventListInput(search), limit: EVENT_PAGE_SIZE }, byNextCursor),
    trpc.events.facets.queryOptions({ orgId }),
    trpc.agents.list.queryOptions({ orgId, includeArchived: true }),
  );
  return (
    <HydrateClient>
      <EventsPage />
    </HydrateClient>
  );
}

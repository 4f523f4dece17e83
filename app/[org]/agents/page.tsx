import type { Metadata } from "next";
import { AgentsPage } from "@/components/agents/agents-page";
import { readRegistrySearch, toAgentListInput } from "@/components/agents/registry-search";
import { HydrateClient, orgPage, prefetch, searchParamsOf, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Agents" };

export default async function Page({ params, searchParams }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  // The same filters the page reads from the URL, so the list it renders is the one prefetched.
  const search = readRegistrySearch(await searchParamsOf(searchParams));
  await prefetch(trpc.agents.list.queryOptions({ orgId, ...toAgentListInput(search) }), trpc.agents.list.queryOptions({ orgId, status: "discovered" }), trpc.teams.list.queryOptions({ orgId }));
  return (
    <HydrateClient>
      <AgentsPage />
    </HydrateClient>
  );
}

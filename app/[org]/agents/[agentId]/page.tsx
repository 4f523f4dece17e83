import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AgentPage } from "@/components/agents/agent-page";
import { AGENT_TABS, agentTabOf, RECENT_EVENTS } from "@/components/agents/agent-tabs";
import { EVENT_PAGE_SIZE, readEventSearch, toEventListInput } from "@/components/events/event-search";
import { byNextCursor } from "@/components/trpc/paging";
import { HydrateClient, orgPage, prefetch, prefetchedNotFound, searchParamsOf, trpc } from "../../../_trpc/server";
import { isUuid } from "@/server/domain/text/uuid";

export const metadata: Metadata = { title: "Agent" };

export default async function Page({ params, searchParams }: { params: Promise<{ org: string; agentId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { agentId } = await params;
  if (!isUuid(agentId)) notFound();
  const { orgId, can } = await orgPage(params);
  const query = await searchParamsOf(searchParams);
  const tab = agentTabOf(query.get("tab"), can("agents:write"));
  const agent = { orgId, agentId };
  const tabQueries = {
    overview: [trpc.events.list.queryOptions({ ...agent, limit: RECENT_EVENTS })],
    events: [trpc.events.list.infiniteQueryOptions({ orgId, ...toEventListInput({ ...readEventSearch(query), agentId }), limit: EVENT_PAGE_SIZE }, byNextCursor), trpc.events.facets.queryOptions({ orgId })],
    metrics: [trpc.anomalies.metrics.queryOptions({ ...agent, window: "7d" }), trpc.anomalies.list.queryOptions({ ...agent, days: 7 })],
    versions: [trpc.versions.list.queryOptions(agent)],
    timeline: [trpc.versions.timeline.queryOptions(agent), trpc.versions.list.queryOptions(agent)],
    compliance: [trpc.compliance.agent.queryOptions(agent), trpc.incidents.list.queryOptions({ ...agent, status: "all" })],
    keys: [trpc.keys.forAgent.queryOptions(agent)],
  } satisfies Record<(typeof AGENT_TABS)[number]["id"], unknown[]>;
  const agentQuery = trpc.agents.get.queryOptions(agent);
  await prefetch(agentQuery, trpc.killSwitches.forAgent.queryOptions(agent), ...tabQueries[tab]);
  // An agent id from another org is no agent here. (Outside a team lead's teams it is refused
  // instead, and the page says so.)
  if (prefetchedNotFound(agentQuery)) notFound();
  return (
    <HydrateClient>
      <AgentPage agentId={agentId} />
    </HydrateClient>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useMemo, useState } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary, SkeletonRows } from "@/components/ui/query-boundary";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Alert, EmptyState } from "@/components/ui/feedback";
import { Field, Input, Select } from "@/components/ui/form";
import { formatMicroUsd, formatNumber } from "@/components/ui/format";
import { FRAMEWORKS } from "@/server/domain/agents/agent-fields";
import { HealthBadge, HealthLegend, StatusBadge } from "./badges";
import { RegisterAgentDialog } from "./register-agent";
import { EMPTY_REGISTRY_SEARCH, hasRegistryFilters, readRegistrySearch, toAgentListInput, writeRegistrySearch, type RegistrySearch } from "./registry-search";

type AgentRow = RouterOutputs["agents"]["list"][number];

const HEALTH_ORDER = { halted: 0, stale: 1, unknown: 2, healthy: 3 } as const;
const STATUS_ORDER = { discovered: 0, active: 1, archived: 2 } as const;

export function AgentsPage() {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const query = params.toString();
  const search = useMemo(() => readRegistrySearch(new URLSearchParams(query)), [query]);
  const canWrite = useCan("agents:write");
  const [registering, setRegistering] = useState(false);

  const apply = useCallback(
    (next: RegistrySearch) => {
      const nextQuery = writeRegistrySearch(next);
      router.replace(nextQuery ? `${pathname}?${nextQuery}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const agents = useQuery({ ...trpc.agents.list.queryOptions({ orgId: org.orgId, ...toAgentListInput(search) }), placeholderData: keepPreviousData });
  // The banner counts every discovered agent in reach, whatever the filters say.
  const discovered = useQuery(trpc.agents.list.queryOptions({ orgId: org.orgId, status: "discovered" }));
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const discoveredCount = discovered.data?.length ?? 0;
  const base = `/${org.slug}/agents`;

  const columns: Column<AgentRow>[] = [
    {
      key: "name",
      header: "Agent",
      sortValue: (agent) => agent.name,
      render: (agent) => (
        <div className="max-w-52">
          <Link href={`${base}/${agent.id}`} className="font-medium text-brand-700 hover:underline">
            {agent.name}
          </Link>
          {agent.description ? (
            <p className="truncate text-xs text-slate-500" title={agent.description}>
              {agent.description}
            </p>
          ) : null}
        </div>
      ),
    },
    {
      key: "team",
      header: "Team",
      sortValue: (agent) => agent.team?.name ?? null,
      render: (agent) => (
        <div className="whitespace-nowrap">
          {agent.team?.name ?? <span className="text-slate-400">No team</span>}
          {agent.framework ? <span className="block text-xs text-slate-500">{agent.framework}</span> : null}
        </div>
      ),
    },
    {
      key: "owner",
      header: "Owner",
      sortValue: (agent) => agent.owner,
      render: (agent) =>
        agent.owner ? (
          <span className="block max-w-32 truncate" title={agent.owner}>
            {agent.owner}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        ),
    },
    { key: "status", header: "Status", sortValue: (agent) => STATUS_ORDER[agent.status], render: (agent) => <StatusBadge status={agent.status} compact /> },
    {
      key: "health",
      header: "Health",
      sortValue: (agent) => HEALTH_ORDER[agent.health],
      // Health comes from when it was last heard from: both in one cell.
      render: (agent) => (
        <div className="whitespace-nowrap">
          <HealthBadge health={agent.health} />
          <span className="mt-0.5 block text-xs text-slate-500">{agent.lastSeenAt ? <LocalTime value={agent.lastSeenAt} style="relative" /> : "never seen"}</span>
        </div>
      ),
    },
    {
      key: "last24h",
      header: "Last 24 h",
      sortValue: (agent) => Number(agent.last24h.costMicros),
      render: (agent) => (
        <div className="text-right whitespace-nowrap tabular-nums">
          <span className="font-medium text-slate-900">{formatMicroUsd(agent.last24h.costMicros)}</span>
          <span className="block text-xs text-slate-500">
            {formatNumber(agent.last24h.events)} {agent.last24h.events === 1 ? "event" : "events"}
          </span>
        </div>
      ),
      className: "text-right",
    },
  ];

  const frameworkOptions = [...new Set([...FRAMEWORKS, ...(agents.data ?? []).flatMap((agent) => (agent.framework ? [agent.framework] : [])), ...(search.framework ? [search.framework] : [])])].sort();

  return (
    <>
      <PageHeader
        title="Agents"
        description={
          org.role === "team_lead"
            ? "The agents of the teams you lead: who owns them, what they use, whether they are alive, what they cost."
            : "Every agent in the organisation: who owns it, what it uses, whether it is alive, what it costs."
        }
        actions={canWrite ? <Button onClick={() => setRegistering(true)}>Register agent</Button> : null}
      />

      {discoveredCount > 0 && search.status !== "discovered" ? (
        <div className="mb-5">
          <Alert tone="warn" title={`${discoveredCount} ${discoveredCount === 1 ? "agent" : "agents"} reported in that nobody registered`}>
            <p>
              They sent telemetry with an org ingest key under a name the registry did not know, so they were added as discovered, pending review.{" "}
              <Link href={`${base}?status=discovered`} className="font-medium underline">
                Review the discovered {discoveredCount === 1 ? "agent" : "agents"}
              </Link>
            </p>
          </Alert>
        </div>
      ) : null}

      <RegistryFilters search={search} onApply={apply} teams={teams.data ?? []} frameworks={frameworkOptions} teamLead={org.role === "team_lead"} />

      <Card>
        <QueryBoundary query={agents} label="agents" inset loading={<SkeletonRows rows={6} className="h-6" />}>
          {(data) => (
            <div aria-busy={agents.isFetching} className={agents.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
              <DataTable
                rows={data}
                columns={columns}
                rowKey={(agent) => agent.id}
                caption="Agents in the registry"
                initialSort={search.status === "" ? { key: "status", direction: "asc" } : { key: "name", direction: "asc" }}
                empty={
                  hasRegistryFilters(search) ? (
                    <EmptyState
                      title="No agents match"
                      action={
                        <Button variant="secondary" onClick={() => apply(EMPTY_REGISTRY_SEARCH)}>
                          Clear filters
                        </Button>
                      }
                    >
                      Try another search or clear a filter.
                    </EmptyState>
                  ) : (
                    <EmptyState title="No agents yet" action={canWrite ? <Button onClick={() => setRegistering(true)}>Register agent</Button> : null}>
                      Register an agent, or let agents report in with an org ingest key: unknown ones appear here as discovered.
                    </EmptyState>
                  )
                }
              />
            </div>
          )}
        </QueryBoundary>
        {agents.data && agents.data.length > 0 ? (
          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-5 py-3">
            <HealthLegend />
            <p className="text-xs text-slate-500">
              {formatNumber(agents.data.length)} {agents.data.length === 1 ? "agent" : "agents"}
              {search.status === "" ? " (archived ones hidden: filter by status to see them)" : ""}
            </p>
          </div>
        ) : null}
      </Card>

      {canWrite ? <RegisterAgentDialog open={registering} onClose={() => setRegistering(false)} /> : null}
    </>
  );
}

function RegistryFilters({
  search,
  onApply,
  teams,
  frameworks,
  teamLead,
}: {
  search: RegistrySearch;
  onApply: (search: RegistrySearch) => void;
  teams: { id: string; name: string }[];
  frameworks: string[];
  teamLead: boolean;
}) {
  const id = useId();
  // The search box applies itself as you type (after a pause); the URL follows.
  const [text, setText] = useState(search.q);
  const [lastUrlText, setLastUrlText] = useState(search.q);
  if (search.q !== lastUrlText) {
    // The URL changed from elsewhere (Back, a link): show what it says.
    setLastUrlText(search.q);
    setText(search.q);
  }
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(() => onApply({ ...search, q: text.trim() }), 300);
    return () => clearTimeout(timer);
  }, [text, search, onApply]);

  const select = (key: "teamId" | "status" | "framework") => (event: { target: { value: string } }) => onApply({ ...search, q: text.trim(), [key]: event.target.value });

  return (
    <Card className="mb-5 px-5 py-4">
      <form
        role="search"
        aria-label="Filter agents"
        onSubmit={(event) => {
          event.preventDefault();
          onApply({ ...search, q: text.trim() });
        }}
        className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-end"
      >
        <Field label="Search" htmlFor={`${id}-q`}>
          <Input id={`${id}-q`} type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="Name, description, owner or tag" maxLength={100} />
        </Field>
        <Field label="Team" htmlFor={`${id}-team`}>
          <Select id={`${id}-team`} value={search.teamId} onChange={select("teamId")}>
            <option value="">{teamLead ? "All my teams" : "All teams"}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Status" htmlFor={`${id}-status`}>
          <Select id={`${id}-status`} value={search.status} onChange={select("status")}>
            <option value="">All but archived</option>
            <option value="active">Registered</option>
            <option value="discovered">Discovered · pending review</option>
            <option value="archived">Archived</option>
          </Select>
        </Field>
        <Field label="Framework" htmlFor={`${id}-framework`}>
          <Select id={`${id}-framework`} value={search.framework} onChange={select("framework")}>
            <option value="">All frameworks</option>
            {frameworks.map((framework) => (
              <option key={framework} value={framework}>
                {framework}
              </option>
            ))}
          </Select>
        </Field>
        <div className="pb-0.5">
          {hasRegistryFilters(search) ? (
            <Button
              variant="ghost"
              onClick={() => {
                setText("");
                onApply(EMPTY_REGISTRY_SEARCH);
              }}
            >
              Clear
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

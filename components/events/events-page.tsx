"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useId, useMemo, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { LocalTime } from "@/components/ui/local-time";
import { byNextCursor } from "@/components/trpc/paging";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { LoadMoreFooter } from "@/components/ui/load-more";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { Card, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/feedback";
import { Field, Input, Select } from "@/components/ui/form";
import { formatNumber } from "@/components/ui/format";
import { EVENT_TYPES } from "@/server/domain/telemetry/events";
import { EventDetailPanel } from "./event-detail";
import { EventTypeBadge, formatCost, formatLatency, StatusText } from "./event-format";
import { EMPTY_EVENT_SEARCH, EVENT_PAGE_SIZE, fromLocalInput, hasEventFilters, rangeError, readEventSearch, toEventListInput, toLocalInput, writeEventSearch, type EventSearch } from "./event-search";

type EventRow = RouterOutputs["events"]["list"]["events"][number];

/** The Events section: every stored event the viewer may see. */
export function EventsPage() {
  const org = useOrg();
  return (
    <>
      <PageHeader
        title="Events"
        description={
          <>
            Telemetry as the agents reported it, newest first. Sensitive values in attributes were redacted before they were stored.
            {org.role === "team_lead" ? " You see your teams' agents." : ""}
          </>
        }
      />
      <EventsExplorer />
    </>
  );
}

/**
 * Filters, the table and the detail panel, all in the URL. With `agent`, the list is that agent's
 * (the agent page's Events tab) and the agent filter is not offered.
 */
export function EventsExplorer({ agent }: { agent?: { id: string; name: string } }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const query = params.toString();
  const urlSearch = useMemo(() => readEventSearch(new URLSearchParams(query)), [query]);
  const search = useMemo(() => (agent ? { ...urlSearch, agentId: agent.id } : urlSearch), [urlSearch, agent]);
  const openEvent = /^\d{1,19}$/.test(params.get("event") ?? "") ? params.get("event") : null;

  const navigate = useCallback((nextQuery: string) => router.replace(nextQuery ? `${pathname}?${nextQuery}` : pathname, { scroll: false }), [router, pathname]);
  const apply = useCallback((next: EventSearch) => navigate(writeEventSearch(query, agent ? { ...next, agentId: "" } : next)), [navigate, query, agent]);
  const setOpenEvent = (id: string | null) => {
    const next = new URLSearchParams(query);
    if (id) next.set("event", id);
    else next.delete("event");
    navigate(next.toString());
  };

  return (
    <>
      {/* Keyed on the URL so Back/Forward and shared links reset the form to what the URL says. */}
      <EventFilters key={writeEventSearch("", urlSearch)} value={urlSearch} onApply={apply} fixedAgent={agent ?? null} />
      <EventTable search={search} showAgent={!agent} onOpen={setOpenEvent} openId={openEvent} onClear={() => apply(EMPTY_EVENT_SEARCH)} filtered={hasEventFilters(urlSearch)} />
      <EventDetailPanel id={openEvent} onClose={() => setOpenEvent(null)} onFilterTask={(taskId) => apply({ ...EMPTY_EVENT_SEARCH, taskId })} />
    </>
  );
}

const QUICK_RANGES = [
  { label: "Last hour", ms: 60 * 60 * 1000 },
  { label: "Last 24 hours", ms: 24 * 60 * 60 * 1000 },
  { label: "Last 7 days", ms: 7 * 24 * 60 * 60 * 1000 },
] as const;

function EventFilters({ value, onApply, fixedAgent }: { value: EventSearch; onApply: (search: EventSearch) => void; fixedAgent: { id: string; name: string } | null }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const [draft, setDraft] = useState<EventSearch>(value);
  const [submitted, setSubmitted] = useState(false);
  const facets = useQuery(trpc.events.facets.queryOptions({ orgId: org.orgId }));
  const agents = useQuery({ ...trpc.agents.list.queryOptions({ orgId: org.orgId, includeArchived: true }), enabled: !fixedAgent });
  const error = rangeError(draft);

  const set = (key: keyof EventSearch) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [key]: event.target.value }));
  const setTime = (key: "from" | "to") => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [key]: fromLocalInput(event.target.value) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (error) return;
    onApply(draft);
  };

  // Keep values the URL names selectable even when the dropdown's source does not list them (yet).
  const modelOptions = [...new Set([...(facets.data?.models ?? []), ...(value.model ? [value.model] : [])])].sort();
  const agentOptions = agents.data ?? [];

  return (
    <Card className="mb-5 px-5 py-4">
      <form onSubmit={submit} aria-label="Filter events" noValidate>
        <div className={cn("grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3", fixedAgent ? "2xl:grid-cols-5" : "2xl:grid-cols-6")}>
          {fixedAgent ? null : (
            <Field label="Agent" htmlFor={`${id}-agent`}>
              <Select id={`${id}-agent`} value={draft.agentId} onChange={set("agentId")} disabled={agents.isPending && !value.agentId}>
                <option value="">{org.role === "team_lead" ? "All my teams' agents" : "All agents"}</option>
                {agentOptions.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                    {agent.status === "discovered" ? " (discovered)" : agent.status === "archived" ? " (archived)" : ""}
                  </option>
                ))}
                {draft.agentId && agents.data && !agents.data.some((agent) => agent.id === draft.agentId) ? <option value={draft.agentId}>Unknown agent</option> : null}
              </Select>
            </Field>
          )}
          <Field label="Type" htmlFor={`${id}-type`}>
            <Select id={`${id}-type`} value={draft.type} onChange={set("type")}>
              <option value="">All types</option>
              {EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Model" htmlFor={`${id}-model`}>
            <Select id={`${id}-model`} value={draft.model} onChange={set("model")}>
              <option value="">All models</option>
              {modelOptions.map((model) => (
                <option key={model} value={model}>
                  {model}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Task" htmlFor={`${id}-task`}>
            <Input id={`${id}-task`} type="search" value={draft.taskId} onChange={set("taskId")} placeholder="task id" maxLength={200} />
          </Field>
          <Field label="From" htmlFor={`${id}-from`}>
            <Input id={`${id}-from`} type="datetime-local" value={toLocalInput(draft.from)} onChange={setTime("from")} />
          </Field>
          <Field label="To" htmlFor={`${id}-to`} error={submitted ? error : null}>
            <Input
              id={`${id}-to`}
              type="datetime-local"
              value={toLocalInput(draft.to)}
              onChange={setTime("to")}
              aria-invalid={submitted && error ? true : undefined}
              aria-describedby={submitted && error ? `${id}-to-error` : undefined}
            />
          </Field>
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <Button type="submit">Apply filters</Button>
          {QUICK_RANGES.map((range) => (
            <Button
              key={range.label}
              variant="secondary"
              size="sm"
              onClick={() => {
                const next = { ...draft, from: new Date(Date.now() - range.ms).toISOString(), to: "" };
                setDraft(next);
                onApply(next);
              }}
            >
              {range.label}
            </Button>
          ))}
          {hasEventFilters(value) || hasEventFilters(draft) ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft(EMPTY_EVENT_SEARCH);
                onApply(EMPTY_EVENT_SEARCH);
              }}
            >
              Clear filters
            </Button>
          ) : null}
          <p className="text-xs text-slate-500">Times are in your time zone. The link in the address bar shares this view.</p>
        </div>
      </form>
    </Card>
  );
}

function EventTable({
  search,
  showAgent,
  onOpen,
  openId,
  onClear,
  filtered,
}: {
  search: EventSearch;
  showAgent: boolean;
  onOpen: (id: string) => void;
  openId: string | null;
  onClear: () => void;
  filtered: boolean;
}) {
  const org = useOrg();
  const trpc = useTRPC();
  const input = useMemo(() => toEventListInput(search), [search]);
  const list = useInfiniteQuery(trpc.events.list.infiniteQueryOptions({ orgId: org.orgId, ...input, limit: EVENT_PAGE_SIZE }, byNextCursor));
  const headers = ["Time", ...(showAgent ? ["Agent"] : []), "Type", "Model or tool", "Tokens in / out", "Cost", "Latency", "Status"];
  const base = `/${org.slug}/agents`;

  return (
    <QueryBoundary query={list} label="events" loading={<LoadingCard rows={8} />}>
      {(data) => {
        const events = data.pages.flatMap((page) => page.events);
        return (
          <Card>
            <div className="overflow-x-auto">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">Events, newest first. Choose an event&apos;s time to see all its fields.</caption>
                <thead className="bg-slate-50">
                  <tr>
                    {headers.map((header) => (
                      <th key={header} scope="col" className={cn("px-2.5 py-2.5 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase", NUMERIC.has(header) && "text-right")}>
                        {header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {events.length === 0 ? (
                    <tr>
                      <td colSpan={headers.length}>
                        {filtered ? (
                          <EmptyState
                            title="No events match these filters"
                            action={
                              <Button variant="secondary" onClick={onClear}>
                                Clear filters
                              </Button>
                            }
                          >
                            Widen the time range or clear a filter.
                          </EmptyState>
                        ) : (
                          <EmptyState title="No events yet">Events appear here as agents report in through the agent API (POST /api/v1/events).</EmptyState>
                        )}
                      </td>
                    </tr>
                  ) : (
                    events.map((event) => <EventTableRow key={event.id} event={event} showAgent={showAgent} agentHref={`${base}/${event.agent.id}`} open={openId === event.id} onOpen={() => onOpen(event.id)} />)
                  )}
                </tbody>
              </table>
            </div>
            <LoadMoreFooter count={events.length} noun={{ one: "event", many: "events" }} list={list} />
          </Card>
        );
      }}
    </QueryBoundary>
  );
}

const NUMERIC = new Set(["Tokens in / out", "Cost", "Latency"]);
const dash = <span className="text-slate-400">—</span>;

function EventTableRow({ event, showAgent, agentHref, open, onOpen }: { event: EventRow; showAgent: boolean; agentHref: string; open: boolean; onOpen: () => void }) {
  const tokens = event.inputTokens === null && event.outputTokens === null ? null : `${formatNumber(event.inputTokens ?? 0)} / ${formatNumber(event.outputTokens ?? 0)}`;
  return (
    <tr
      className={cn("cursor-pointer hover:bg-slate-50/80", open && "bg-brand-50/60")}
      onClick={(click) => {
        // Links and buttons in the row do their own thing; the rest of the row opens the event.
        if (!(click.target instanceof Element && click.target.closest("a, button"))) onOpen();
      }}
    >
      <td className="px-2.5 py-2 whitespace-nowrap">
        <button type="button" onClick={onOpen} aria-label={`Show ${event.type} event ${event.eventId}`} aria-haspopup="dialog" className="text-left text-slate-800 hover:text-brand-700 hover:underline">
          <LocalTime value={event.ts} style="short" />
        </button>
      </td>
      {showAgent ? (
        <td className="px-2.5 py-2 whitespace-nowrap">
          <Link href={agentHref} className="text-brand-700 hover:underline">
            {event.agent.name}
          </Link>
        </td>
      ) : null}
      <td className="px-2.5 py-2">
        <EventTypeBadge type={event.type} />
      </td>
      {/* A model call names its model, a tool call its tool: one column says which was used. */}
      <td className="max-w-44 truncate px-2.5 py-2 font-mono text-xs whitespace-nowrap text-slate-700" title={event.model ?? event.tool ?? undefined}>
        {event.model ?? event.tool ?? dash}
      </td>
      <td className="px-2.5 py-2 text-right whitespace-nowrap tabular-nums">{tokens ?? dash}</td>
      <td className="px-2.5 py-2 text-right whitespace-nowrap tabular-nums">{formatCost(event.costMicros, event.costSource) ?? dash}</td>
      <td className="px-2.5 py-2 text-right whitespace-nowrap tabular-nums">{event.latencyMs === null ? dash : formatLatency(event.latencyMs)}</td>
      <td className="px-2.5 py-2 whitespace-nowrap">{event.status ? <StatusText status={event.status} /> : dash}</td>
    </tr>
  );
}

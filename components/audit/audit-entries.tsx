"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Fragment, useMemo, useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { byNextCursor } from "@/components/trpc/paging";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { LoadMoreFooter } from "@/components/ui/load-more";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { EntryDetail } from "./entry-detail";
import { AUDIT_PAGE_SIZE, hasFilters, toListFilter, type AuditSearch } from "./filters";

// An entry's hash and the one before it are in its details (the row expands).
const COLUMNS = ["", "Time", "Actor", "Action", "Target", "Team", "Reason"] as const;

/** The entries matching the filters, newest first, a page at a time; a row expands to its diff and hashes. */
export function AuditEntries({ search, onClear }: { search: AuditSearch; onClear: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const filter = useMemo(() => toListFilter(search), [search]);
  const list = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions({ orgId: org.orgId, ...filter, limit: AUDIT_PAGE_SIZE }, byNextCursor));
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const teamNames = useMemo(() => new Map((teams.data ?? []).map((team) => [team.id, team.name])), [teams.data]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const teamName = (teamId: string | null) => (teamId ? (teamNames.get(teamId) ?? null) : null);

  return (
    <QueryBoundary query={list} label="audit entries" loading={<LoadingCard rows={6} />}>
      {(data) => {
        const entries = data.pages.flatMap((page) => page.entries);
        return (
          <Card>
            <div className="overflow-x-auto">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">Audit entries, newest first</caption>
                <thead className="bg-slate-50">
                  <tr>
                    {COLUMNS.map((header, index) => (
                      <th key={header || index} scope="col" className="px-3 py-2.5 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase">
                        {header ? header : <span className="sr-only">Details</span>}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 bg-white">
                  {entries.length === 0 ? (
                    <tr>
                      <td colSpan={COLUMNS.length}>
                        {hasFilters(search) ? (
                          <EmptyState
                            title="No entries match these filters"
                            action={
                              <Button variant="secondary" onClick={onClear}>
                                Clear filters
                              </Button>
                            }
                          >
                            Widen the date range or clear a filter.
                          </EmptyState>
                        ) : (
                          <EmptyState title="No audit entries yet">{org.role === "team_lead" ? "Changes to your teams will appear here." : "Every change made in the console will appear here."}</EmptyState>
                        )}
                      </td>
                    </tr>
                  ) : (
                    entries.map((entry) => {
                      const open = expanded.has(entry.id);
                      const detailId = `audit-entry-${entry.id}`;
                      const team = teamName(entry.teamId);
                      return (
                        <Fragment key={entry.id}>
                          <tr
                            className={cn("cursor-pointer hover:bg-slate-50/60", open && "bg-slate-50")}
                            onClick={(event) => {
                              // The button handles its own clicks (and the keyboard); the rest of the row is a larger target for the mouse.
                              if (!(event.target instanceof Element && event.target.closest("button"))) toggle(entry.id);
                            }}
                          >
                            <td className="w-10 px-2 py-2 align-top">
                              <button
                                type="button"
                                aria-expanded={open}
                                aria-controls={open ? detailId : undefined}
                                aria-label={`${open ? "Hide" : "Show"} details of entry #${entry.seq}`}
                                onClick={() => toggle(entry.id)}
                                className="grid h-7 w-7 place-items-center rounded-md text-slate-500 hover:bg-slate-200 hover:text-slate-900"
                              >
                                <span aria-hidden className={cn("transition-transform", open && "rotate-90")}>
                                  ▸
                                </span>
                              </button>
                            </td>
                            <td className="px-3 py-2.5 align-top whitespace-nowrap text-slate-700">
                              <LocalTime value={entry.at} style="short" />
                            </td>
                            <td className="max-w-40 truncate px-3 py-2.5 align-top text-slate-700" title={entry.actorLabel}>
                              {entry.actorLabel}
                            </td>
                            <td className="px-3 py-2.5 align-top whitespace-nowrap">
                              <code className="font-mono text-xs text-slate-900">{entry.action}</code>
                            </td>
                            <td className="px-3 py-2.5 align-top text-slate-700">
                              {entry.targetType}
                              {entry.targetId ? (
                                <code className="ml-1 font-mono text-xs text-slate-400" title={entry.targetId}>
                                  {entry.targetId.slice(0, 8)}
                                </code>
                              ) : null}
                            </td>
                            <td className="px-3 py-2.5 align-top text-slate-700">{team ?? (entry.teamId ? <span className="text-slate-400">Other team</span> : <span className="text-slate-400">—</span>)}</td>
                            <td className="max-w-44 truncate px-3 py-2.5 align-top text-slate-700" title={entry.reason ?? undefined}>
                              {entry.reason ?? <span className="text-slate-400">—</span>}
                            </td>
                          </tr>
                          {open ? (
                            <tr id={detailId}>
                              <td colSpan={COLUMNS.length} className="p-0">
                                <EntryDetail entry={entry} teamName={team} />
                              </td>
                            </tr>
                          ) : null}
                        </Fragment>
                      );
                    })
                  )}
                </tbody>
              </table>
            </div>
            <LoadMoreFooter count={entries.length} noun={{ one: "entry", many: "entries" }} list={list} />
          </Card>
        );
      }}
    </QueryBoundary>
  );
}

// The Audit page's filters live in the URL (so a filtered view can be shared): how they are read
// from and written to search params, and turned into the list query and the export link.
// Dates in the URL are calendar days (YYYY-MM-DD) in the viewer's zone; both ends inclusive.
import { isUuid } from "@/server/domain/text/uuid";

/** Entries per page of the log (the page prefetches the first one on the server). */
export const AUDIT_PAGE_SIZE = 50;

export interface AuditSearch {
  action: string;
  actor: string;
  targetType: string;
  teamId: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_SEARCH: AuditSearch = { action: "", actor: "", targetType: "", teamId: "", from: "", to: "" };

const KEYS = ["action", "actor", "targetType", "teamId", "from", "to"] as const satisfies readonly (keyof AuditSearch)[];
const LIMITS: Record<keyof AuditSearch, number> = { action: 100, actor: 320, targetType: 60, teamId: 36, from: 10, to: 10 };
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local midnight that starts `day` (YYYY-MM-DD), or null when it is not a real date. */
export function startOfLocalDay(day: string): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = new Date(year, month - 1, date);
  // new Date(2025, 1, 30) rolls over into March: such a day does not exist.
  if (start.getFullYear() !== year || start.getMonth() !== month - 1 || start.getDate() !== date) return null;
  return start;
}

function endOfLocalDay(day: string): Date | null {
  const start = startOfLocalDay(day);
  return start ? new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1) : null;
}

/** Reads the filters from the URL, dropping values that could not be meant (a hand-edited link). */
export function readAuditSearch(params: Pick<URLSearchParams, "get">): AuditSearch {
  const search = { ...EMPTY_AUDIT_SEARCH };
  for (const key of KEYS) {
    const value = (params.get(key) ?? "").trim().slice(0, LIMITS[key]);
    search[key] = value;
  }
  if (search.teamId && !isUuid(search.teamId)) search.teamId = "";
  if (search.from && !startOfLocalDay(search.from)) search.from = "";
  if (search.to && !startOfLocalDay(search.to)) search.to = "";
  return search;
}

/** The URL query for these filters; empty ones are left out so links stay short. */
export function writeAuditSearch(search: AuditSearch): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = search[key].trim();
    if (value) params.set(key, value);
  }
  return params.toString();
}

export function hasFilters(search: AuditSearch): boolean {
  return KEYS.some((key) => search[key].trim() !== "");
}

/** "To" before "From" is a mistake worth saying out loud rather than an empty list. */
export function dateRangeError(search: Pick<AuditSearch, "from" | "to">): string | null {
  const from = startOfLocalDay(search.from);
  const to = startOfLocalDay(search.to);
  return from && to && to < from ? "The end date is before the start date." : null;
}

/** The instants the day range covers: from the start of `from` to the end of `to`, local time. */
export function dateRange(search: Pick<AuditSearch, "from" | "to">): { from?: Date; to?: Date } {
  const from = search.from ? startOfLocalDay(search.from) : null;
  const to = search.to ? endOfLocalDay(search.to) : null;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** The audit.list input for these filters (without org and paging). */
export function toListFilter(search: AuditSearch): {
  action?: string;
  actor?: string;
  targetType?: string;
  teamId?: string;
  from?: Date;
  to?: Date;
} {
  return {
    ...(search.action ? { action: search.action } : {}),
    ...(search.actor ? { actor: search.actor } : {}),
    ...(search.targetType ? { targetType: search.targetType } : {}),
    ...(search.teamId ? { teamId: search.teamId } : {}),
    ...dateRange(search),
  };
}

/** The NDJSON export of the current date range (the export covers a time range, not the other filters). */
export function exportHref(orgId: string, search: Pick<AuditSearch, "from" | "to">): string {
  const { from, to } = dateRange(search);
  const params = new URLSearchParams();
  if (from) params.set("from", from.toISOString());
  if (to) params.set("to", to.toISOString());
  const query = params.toString();
  return `/api/orgs/${encodeURIComponent(orgId)}/audit/export${query ? `?${query}` : ""}`;
}

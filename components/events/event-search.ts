// The Events page's filters live in the URL (a filtered view is a link), next to whatever else the
// page keeps there (the agent page's ?tab=). Times travel as ISO instants, so a shared link means
// the same moment in every time zone; the inputs show them in the viewer's zone.
import { EVENT_TYPES } from "@/server/domain/telemetry/events";
import { isUuid } from "@/server/domain/text/uuid";

export type EventType = (typeof EVENT_TYPES)[number];

/** Events per page of the Events table (the page prefetches the first one on the server). */
export const EVENT_PAGE_SIZE = 50;

export interface EventSearch {
  agentId: string;
  type: EventType | "";
  model: string;
  taskId: string;
  from: string;
  to: string;
}

export const EMPTY_EVENT_SEARCH: EventSearch = { agentId: "", type: "", model: "", taskId: "", from: "", to: "" };
const KEYS = ["agentId", "type", "model", "taskId", "from", "to"] as const satisfies readonly (keyof EventSearch)[];

function isInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

export function readEventSearch(params: Pick<URLSearchParams, "get">): EventSearch {
  const get = (key: string, max: number) => (params.get(key) ?? "").trim().slice(0, max);
  const agentId = get("agentId", 36);
  const type = get("type", 20);
  const from = get("from", 40);
  const to = get("to", 40);
  return {
    agentId: isUuid(agentId) ? agentId : "",
    type: (EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : "",
    model: get("model", 200),
    taskId: get("taskId", 200),
    from: isInstant(from) ? from : "",
    to: isInstant(to) ? to : "",
  };
}

/** `current` with the filters replaced; other parameters (a tab, say) are kept, the open event is closed. */
export function writeEventSearch(current: string, search: EventSearch): string {
  const params = new URLSearchParams(current);
  params.delete("event");
  for (const key of KEYS) {
    const value = search[key].trim();
    if (value) params.set(key, value);
    else params.delete(key);
  }
  return params.toString();
}

export function hasEventFilters(search: EventSearch, ignore: readonly (keyof EventSearch)[] = []): boolean {
  return KEYS.some((key) => !ignore.includes(key) && search[key].trim() !== "");
}

export function rangeError(search: Pick<EventSearch, "from" | "to">): string | null {
  return search.from && search.to && Date.parse(search.to) <= Date.parse(search.from) ? "The end is not after the start." : null;
}

/** The events.list input for these filters (without org and paging). */
export function toEventListInput(search: EventSearch) {
  return {
    ...(search.agentId ? { agentId: search.agentId } : {}),
    ...(search.type ? { type: search.type } : {}),
    ...(search.model ? { model: search.model } : {}),
    ...(search.taskId ? { taskId: search.taskId } : {}),
    ...(search.from ? { from: new Date(search.from) } : {}),
    ...(search.to ? { to: new Date(search.to) } : {}),
  };
}

const pad = (value: number) => String(value).padStart(2, "0");

/** An instant as a datetime-local input shows it: the viewer's wall clock, to the minute. */
export function toLocalInput(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (the viewer's wall clock) as an instant; "" when empty or invalid. */
export function fromLocalInput(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return "";
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(year, month - 1, day, hour, minute);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

/** The pieces of a stored attribute text: placeholders the redactor left are marked. */
export function splitRedactions(text: string): { text: string; redacted: boolean }[] {
  const parts: { text: string; redacted: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(/\[REDACTED:[A-Z_]+\]/g)) {
    const index = match.index;
    if (index > last) parts.push({ text: text.slice(last, index), redacted: false });
    parts.push({ text: match[0], redacted: true });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), redacted: false });
  return parts;
}

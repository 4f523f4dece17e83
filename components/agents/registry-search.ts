// The registry's search box and filters live in the URL, so a filtered view (for example "the
// discovered agents") is a link. Values that could not have been meant are dropped on reading.

import { AGENT_STATUSES } from "@/server/domain/agents/schemas";
import { isUuid } from "@/server/domain/text/uuid";

export type RegistryStatus = (typeof AGENT_STATUSES)[number];

export interface RegistrySearch {
  q: string;
  teamId: string;
  status: RegistryStatus | "";
  framework: string;
}

export const EMPTY_REGISTRY_SEARCH: RegistrySearch = { q: "", teamId: "", status: "", framework: "" };
const KEYS = ["q", "teamId", "status", "framework"] as const;

export function readRegistrySearch(params: Pick<URLSearchParams, "get">): RegistrySearch {
  const q = (params.get("q") ?? "").trim().slice(0, 100);
  const teamId = (params.get("teamId") ?? "").trim();
  const status = (params.get("status") ?? "").trim();
  const framework = (params.get("framework") ?? "").trim().slice(0, 60);
  return {
    q,
    teamId: isUuid(teamId) ? teamId : "",
    status: (AGENT_STATUSES as readonly string[]).includes(status) ? (status as RegistryStatus) : "",
    framework,
  };
}

export function writeRegistrySearch(search: RegistrySearch): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = search[key].trim();
    if (value) params.set(key, value);
  }
  return params.toString();
}

export function hasRegistryFilters(search: RegistrySearch): boolean {
  return KEYS.some((key) => search[key].trim() !== "");
}

/** The agents.list input for these filters (without the org). */
export function toAgentListInput(search: RegistrySearch) {
  return {
    ...(search.q.trim() ? { search: search.q.trim() } : {}),
    ...(search.teamId ? { teamId: search.teamId } : {}),
    ...(search.status ? { status: search.status } : {}),
    ...(search.framework ? { framework: search.framework } : {}),
  };
}

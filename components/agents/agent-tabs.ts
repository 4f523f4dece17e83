// The agent page's tabs, read by the page (to prefetch the open tab's data on the server) and by
// the client component (to draw them). The tab lives in the URL (?tab=).

export const AGENT_TABS = [
  { id: "overview", label: "Overview", needsWrite: false },
  { id: "events", label: "Events", needsWrite: false },
  { id: "metrics", label: "Metrics", needsWrite: false },
  { id: "versions", label: "Versions", needsWrite: false },
  { id: "timeline", label: "Timeline", needsWrite: false },
  { id: "compliance", label: "Compliance", needsWrite: false },
  { id: "keys", label: "Keys", needsWrite: true },
] as const;
export type AgentTabId = (typeof AGENT_TABS)[number]["id"];

/** The tabs a viewer sees: the Keys tab only for those who may write agents. */
export function agentTabsFor(canWrite: boolean) {
  return AGENT_TABS.filter((tab) => !tab.needsWrite || canWrite);
}

/** The tab the URL asks for, if the viewer has it; the overview otherwise. */
export function agentTabOf(requested: string | null, canWrite: boolean): AgentTabId {
  return agentTabsFor(canWrite).find((tab) => tab.id === requested)?.id ?? "overview";
}

/** How many events the overview's "Recent events" card shows. */
export const RECENT_EVENTS = 8;

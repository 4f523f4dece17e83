// The Settings page's tabs (?tab=), read by the page (to prefetch the open tab's data on the
// server) and by the client component. Admin-only tabs are never offered to other roles.

export const SETTINGS_TABS = [
  { id: "organisation", label: "Organisation", adminOnly: false },
  { id: "teams", label: "Teams", adminOnly: false },
  { id: "members", label: "Members", adminOnly: false },
  { id: "api-keys", label: "API keys", adminOnly: true },
  { id: "webhooks", label: "Webhooks", adminOnly: true },
  { id: "profile", label: "Your profile", adminOnly: false },
] as const;
export type SettingsTabId = (typeof SETTINGS_TABS)[number]["id"];

export function settingsTabsFor(canAdmin: boolean) {
  return SETTINGS_TABS.filter((tab) => canAdmin || !tab.adminOnly);
}

/** The tab the URL asks for, if the viewer has it; the organisation otherwise. */
export function settingsTabOf(requested: string | null, canAdmin: boolean): SettingsTabId {
  return settingsTabsFor(canAdmin).find((tab) => tab.id === requested)?.id ?? "organisation";
}

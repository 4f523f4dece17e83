"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useRef, type KeyboardEvent } from "react";
import { WebhooksSection } from "@/components/alerts/webhooks-section";
import { useCan, useOrg } from "@/components/shell/org-context";
import { Card, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ApiKeysSection } from "./api-keys-section";
import { MembersSection } from "./members-section";
import { OrgSection } from "./org-section";
import { ProfileSection } from "./profile-section";
import { TeamsSection } from "./teams-section";

const TABS = [
  { id: "organisation", label: "Organisation" },
  { id: "teams", label: "Teams" },
  { id: "members", label: "Members" },
  { id: "api-keys", label: "API keys", adminOnly: true },
  { id: "webhooks", label: "Webhooks", adminOnly: true },
  { id: "profile", label: "Your profile" },
] as const;
type TabId = (typeof TABS)[number]["id"];

function isTab(tabs: readonly { id: TabId }[], value: string | null): value is TabId {
  return tabs.some((tab) => tab.id === value);
}

export function SettingsPage() {
  const canAdmin = useCan("org:admin");
  const pathname = usePathname();
  const params = useSearchParams();
  const requested = params.get("tab");
  // The API keys tab is for admins only: others never see it, nor ask the server for the keys.
  const tabs = TABS.filter((tab) => canAdmin || !("adminOnly" in tab));
  const current: TabId = isTab(tabs, requested) ? requested : "organisation";
  const tabRefs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});

  // The tab lives in the URL so a section can be linked to and survives a reload. Next.js keeps
  // useSearchParams in step with history.replaceState, without a round trip to the server.
  const select = (tab: TabId, focus = false) => {
    window.history.replaceState(null, "", tab === "organisation" ? pathname : `${pathname}?tab=${tab}`);
    if (focus) tabRefs.current[tab]?.focus();
  };

  // WAI-ARIA tabs: arrows move between tabs, Home/End jump to the ends.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === current);
    const next =
      event.key === "ArrowRight" ? (index + 1) % tabs.length
      : event.key === "ArrowLeft" ? (index - 1 + tabs.length) % tabs.length
      : event.key === "Home" ? 0
      : event.key === "End" ? tabs.length - 1
      : null;
    const tab = next === null ? undefined : tabs[next];
    if (!tab) return;
    event.preventDefault();
    select(tab.id, true);
  };

  return (
    <>
      <PageHeader
        title="Settings"
        description={canAdmin ? "The organisation, its teams and who may do what." : "The organisation and your own account."}
      />
      <div role="tablist" aria-label="Settings sections" onKeyDown={onKeyDown} className="mb-6 flex gap-1 border-b border-slate-200">
        {tabs.map((tab) => {
          const active = tab.id === current;
          return (
            <button
              key={tab.id}
              ref={(element) => {
                tabRefs.current[tab.id] = element;
              }}
              type="button"
              role="tab"
              id={`settings-tab-${tab.id}`}
              aria-selected={active}
              aria-controls={`settings-panel-${tab.id}`}
              tabIndex={active ? 0 : -1}
              onClick={() => select(tab.id)}
              className={cn(
                "-mb-px border-b-2 px-4 py-2.5 text-sm font-medium transition-colors",
                active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800",
              )}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`settings-panel-${current}`} aria-labelledby={`settings-tab-${current}`} tabIndex={0} className="focus-visible:outline-none">
        {current === "organisation" ? <OrgSection /> : null}
        {current === "teams" ? <TeamsSection /> : null}
        {current === "members" ? canAdmin ? <MembersSection /> : <MembersNote /> : null}
        {current === "api-keys" && canAdmin ? <ApiKeysSection /> : null}
        {current === "webhooks" && canAdmin ? <WebhooksSection /> : null}
        {current === "profile" ? <ProfileSection /> : null}
      </div>
    </>
  );
}

/** For roles without org:admin: say who manages members, and never ask the server for the list. */
function MembersNote() {
  const org = useOrg();
  return (
    <Card className="px-5 py-6">
      <h2 className="text-base font-semibold text-slate-900">Members</h2>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">
        Members and their roles are managed by the owners and admins of {org.name}. Ask one of them to invite someone, change a role or
        remove access.
      </p>
    </Card>
  );
}

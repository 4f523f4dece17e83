"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { WebhooksSection } from "@/components/alerts/webhooks-section";
import { useCan, useOrg } from "@/components/shell/org-context";
import { Card, PageHeader } from "@/components/ui/card";
import { TabList, TabPanel } from "@/components/ui/tabs";
import { ApiKeysSection } from "./api-keys-section";
import { MembersSection } from "./members-section";
import { OrgSection } from "./org-section";
import { PendingInvitations } from "./pending-invitations";
import { ProfileSection } from "./profile-section";
import { settingsTabOf, settingsTabsFor, type SettingsTabId } from "./tabs";
import { TeamsSection } from "./teams-section";

export function SettingsPage() {
  const canAdmin = useCan("org:admin");
  const pathname = usePathname();
  const params = useSearchParams();
  // The API keys and webhooks tabs are for admins only: others never see them, nor ask the server for their data.
  const tabs = settingsTabsFor(canAdmin);
  const current = settingsTabOf(params.get("tab"), canAdmin);
  // The tab lives in the URL so a section can be linked to and survives a reload. Next.js keeps
  // useSearchParams in step with history.replaceState, without a round trip to the server.
  const select = (tab: SettingsTabId) => {
    window.history.replaceState(null, "", tab === "organisation" ? pathname : `${pathname}?tab=${tab}`);
  };

  return (
    <>
      <PageHeader title="Settings" description={canAdmin ? "The organisation, its teams and who may do what." : "The organisation and your own account."} />
      <TabList tabs={tabs} current={current} onSelect={select} label="Settings sections" idPrefix="settings" className="mb-6 border-b border-slate-200" />
      <TabPanel idPrefix="settings" current={current}>
        {current === "organisation" ? <OrgSection /> : null}
        {current === "teams" ? <TeamsSection /> : null}
        {current === "members" ? (
          canAdmin ? (
            <>
              <MembersSection />
              <PendingInvitations />
            </>
          ) : (
            <MembersNote />
          )
        ) : null}
        {current === "api-keys" && canAdmin ? <ApiKeysSection /> : null}
        {current === "webhooks" && canAdmin ? <WebhooksSection /> : null}
        {current === "profile" ? <ProfileSection /> : null}
      </TabPanel>
    </>
  );
}

/** For roles without org:admin: say who manages members, and never ask the server for the list. */
function MembersNote() {
  const org = useOrg();
  return (
    <Card className="px-5 py-6">
      <h2 className="text-base font-semibold text-slate-900">Members</h2>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">Members and their roles are managed by the owners and admins of {org.name}. Ask one of them to invite someone, change a role or remove access.</p>
    </Card>
  );
}

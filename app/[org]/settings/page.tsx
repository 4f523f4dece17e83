import type { Metadata } from "next";
import { settingsTabOf } from "@/components/settings/tabs";
import { SettingsPage } from "@/components/settings/settings-page";
import { HydrateClient, orgPage, prefetch, searchParamsOf, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Settings" };

export default async function Page({ params, searchParams }: OrgPageProps) {
  const { orgId, can } = await orgPage(params);
  const admin = can("org:admin");
  const tab = settingsTabOf((await searchParamsOf(searchParams)).get("tab"), admin);
  const org = { orgId };
  const tabQueries = {
    organisation: [trpc.org.get.queryOptions(org)],
    teams: [trpc.teams.list.queryOptions(org)],
    members: admin ? [trpc.members.list.queryOptions(org), trpc.teams.list.queryOptions(org), trpc.members.invitations.queryOptions(org)] : [],
    "api-keys": [trpc.keys.ingest.queryOptions(org)],
    webhooks: [trpc.alerts.webhooks.list.queryOptions(org)],
    profile: [],
  };
  await prefetch(...tabQueries[tab]);
  return (
    <HydrateClient>
      <SettingsPage />
    </HydrateClient>
  );
}

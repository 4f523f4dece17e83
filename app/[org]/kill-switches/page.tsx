import type { Metadata } from "next";
import { firstScope } from "@/components/kill-switches/format";
import { KillSwitchesPage } from "@/components/kill-switches/kill-switches-page";
import { HydrateClient, orgPage, prefetch, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Kill switches" };

export default async function Page({ params }: OrgPageProps) {
  const { orgId, can } = await orgPage(params);
  await prefetch(
    trpc.killSwitches.list.queryOptions({ orgId }),
    // The engage form opens on the widest scope the viewer may use; its targets come with the page.
    can("killswitch:team") && trpc.killSwitches.targets.queryOptions({ orgId, scope: firstScope(can("killswitch:org")) }),
  );
  return (
    <HydrateClient>
      <KillSwitchesPage />
    </HydrateClient>
  );
}

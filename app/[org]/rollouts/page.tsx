import type { Metadata } from "next";
import { RolloutsPage } from "@/components/rollouts/rollouts-page";
import { HydrateClient, orgPage, prefetch, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Rollouts" };

export default async function Page({ params }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  await prefetch(trpc.rollouts.list.queryOptions({ orgId }));
  return (
    <HydrateClient>
      <RolloutsPage />
    </HydrateClient>
  );
}

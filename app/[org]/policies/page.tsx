import type { Metadata } from "next";
import { PoliciesPage } from "@/components/policies/policies-page";
import { HydrateClient, orgPage, prefetch, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Policies" };

export default async function Page({ params }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  await prefetch(trpc.policies.list.queryOptions({ orgId }));
  return (
    <HydrateClient>
      <PoliciesPage />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { BudgetsPage } from "@/components/budgets/budgets-page";
import { HydrateClient, orgPage, prefetch, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Budgets" };

export default async function Page({ params }: OrgPageProps) {
  const { orgId } = await orgPage(params);
  await prefetch(trpc.budgets.list.queryOptions({ orgId }), trpc.budgets.costs.queryOptions({ orgId }));
  return (
    <HydrateClient>
      <BudgetsPage />
    </HydrateClient>
  );
}

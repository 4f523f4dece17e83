import type { Metadata } from "next";
import { ApprovalsPage } from "@/components/approvals/approvals-page";
import { APPROVAL_HISTORY_PAGE, APPROVAL_QUEUE_LIMIT } from "@/components/approvals/present";
import { byNextCursor } from "@/components/trpc/paging";
import { HydrateClient, orgPage, prefetch, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Approvals" };

export default async function Page({ params }: OrgPageProps) {
  const { orgId, can } = await orgPage(params);
  if (can("approvals:decide")) {
    await prefetch(
      trpc.approvals.list.queryOptions({ orgId, view: "pending", limit: APPROVAL_QUEUE_LIMIT }),
      trpc.approvals.list.infiniteQueryOptions({ orgId, view: "history", limit: APPROVAL_HISTORY_PAGE }, byNextCursor),
      trpc.teams.list.queryOptions({ orgId }),
    );
  }
  return (
    <HydrateClient>
      <ApprovalsPage />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { complianceTabOf, type ComplianceTabId } from "@/components/compliance/present";
import { CompliancePage } from "@/components/compliance/compliance-page";
import { HydrateClient, orgPage, prefetch, searchParamsOf, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Compliance" };

export default async function Page({ params, searchParams }: OrgPageProps) {
  const { orgId, can } = await orgPage(params);
  const tab = complianceTabOf((await searchParamsOf(searchParams)).get("tab"), can("audit:read"));
  const tabQueries = {
    coverage: [trpc.compliance.matrix.queryOptions({ orgId })],
    incidents: [trpc.incidents.list.queryOptions({ orgId, status: "all" })],
    anomalies: [trpc.anomalies.list.queryOptions({ orgId, days: 7 })],
    evidence: [],
  } satisfies Record<ComplianceTabId, unknown[]>;
  // The open incidents count in the tab's label, and the open tab's own data.
  await prefetch(trpc.incidents.list.queryOptions({ orgId, status: "open" }), ...tabQueries[tab]);
  return (
    <HydrateClient>
      <CompliancePage />
    </HydrateClient>
  );
}

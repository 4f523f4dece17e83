import type { Metadata } from "next";
import { AUDIT_PAGE_SIZE, readAuditSearch, toListFilter } from "@/components/audit/filters";
import { AuditPage } from "@/components/audit/audit-page";
import { byNextCursor } from "@/components/trpc/paging";
import { HydrateClient, orgPage, prefetch, searchParamsOf, trpc, type OrgPageProps } from "../../_trpc/server";

export const metadata: Metadata = { title: "Audit" };

export default async function Page({ params, searchParams }: OrgPageProps) {
  const { orgId, can } = await orgPage(params);
  if (can("audit:read")) {
    const search = readAuditSearch(await searchParamsOf(searchParams));
    // Date filters are days in the viewer's zone, which the server does not know: such a list is the browser's to load.
    const datesFiltered = Boolean(search.from || search.to);
    await prefetch(
      trpc.audit.verify.queryOptions({ orgId }),
      trpc.audit.actions.queryOptions({ orgId }),
      trpc.teams.list.queryOptions({ orgId }),
      !datesFiltered && trpc.audit.list.infiniteQueryOptions({ orgId, ...toListFilter(search), limit: AUDIT_PAGE_SIZE }, byNextCursor),
    );
  }
  return (
    <HydrateClient>
      <AuditPage />
    </HydrateClient>
  );
}

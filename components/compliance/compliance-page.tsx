"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCan, useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { PageHeader } from "@/components/ui/card";
import { TabList, TabPanel } from "@/components/ui/tabs";
import { AnomaliesCard } from "./anomalies";
import { CoverageMatrixCard } from "./coverage-matrix";
import { EvidenceExportCard } from "./evidence-export";
import { IncidentsCard } from "./incidents";
import { complianceTabOf, complianceTabsFor, type ComplianceTabId } from "./present";

export function CompliancePage() {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const canExport = useCan("audit:read");
  const tabs = complianceTabsFor(canExport);
  const current = complianceTabOf(params.get("tab"), canExport);
  const open = useQuery(trpc.incidents.list.queryOptions({ orgId: org.orgId, status: "open" }));
  const select = (tab: ComplianceTabId) => router.replace(tab === "coverage" ? pathname : `${pathname}?tab=${tab}`, { scroll: false });

  return (
    <>
      <PageHeader
        title="Compliance"
        description={
          <>
            Which agents touch regulated data, which decisions need a person, and whether the controls hold, with evidence computed from the system itself rather than typed in.
            {org.role === "team_lead" ? " You see your teams' agents." : ""}
          </>
        }
      />
      <div className="mb-5 border-b border-slate-200">
        <TabList
          tabs={tabs.map((tab) => (tab.id === "incidents" && open.data && open.data.length > 0 ? { ...tab, label: `Incidents (${open.data.length} open)` } : tab))}
          current={current}
          onSelect={select}
          label="Compliance sections"
          idPrefix="compliance"
        />
      </div>
      <TabPanel idPrefix="compliance" current={current}>
        {current === "coverage" ? <CoverageMatrixCard /> : null}
        {current === "incidents" ? <IncidentsCard /> : null}
        {current === "anomalies" ? <AnomaliesCard /> : null}
        {current === "evidence" ? <EvidenceExportCard /> : null}
      </TabPanel>
    </>
  );
}

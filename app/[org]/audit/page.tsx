import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditPage } from "@/components/audit/audit-page";
import { Spinner } from "@/components/ui/feedback";

export const metadata: Metadata = { title: "Audit" };

export default function Page() {
  // The filters are read from the URL on the client (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense fallback={<Spinner label="Loading the audit log" />}>
      <AuditPage />
    </Suspense>
  );
}

import type { Metadata } from "next";
import { Suspense } from "react";
import { CompliancePage } from "@/components/compliance/compliance-page";
import { Spinner } from "@/components/ui/feedback";

export const metadata: Metadata = { title: "Compliance" };

export default function Page() {
  return (
    <Suspense fallback={<Spinner label="Loading compliance" />}>
      <CompliancePage />
    </Suspense>
  );
}

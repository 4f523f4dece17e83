import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Compliance" };

export default function CompliancePage() {
  return (
    <ComingSoon
      title="Compliance"
      summary="Regulated agents, their risk class and the controls they meet, with evidence from the system itself."
      items={["EU AI Act risk class and data categories per agent", "A coverage matrix of frameworks and controls, with gaps", "An evidence export"]}
    />
  );
}

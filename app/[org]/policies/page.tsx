import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Policies" };

export default function PoliciesPage() {
  return (
    <ComingSoon
      title="Policies"
      summary="What agents may do before they do it: tools, models, data classes and spend."
      items={["Permission policies in Cedar, from a form or as text", "Simulation and impact of a draft before it is enforced", "The approval queue"]}
    />
  );
}

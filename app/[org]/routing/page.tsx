import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Routing" };

export default function RoutingPage() {
  return (
    <ComingSoon
      title="Routing"
      summary="Which model each kind of task runs on: the cheapest one good enough, with fallbacks."
      items={["The model registry with prices and quality tiers", "Routing rules per task type", "What routing saved against the most expensive model asked for"]}
    />
  );
}

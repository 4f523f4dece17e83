import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Rollouts" };

export default function RolloutsPage() {
  return (
    <ComingSoon
      title="Rollouts"
      summary="New agent versions, released in stages and rolled back in one click."
      items={["Versions with their model, prompt, tools and configuration, diffable", "Staged rollouts with guard metrics", "A/B comparison of two versions"]}
    />
  );
}

import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Agents" };

export default function AgentsPage() {
  return (
    <ComingSoon
      title="Agents"
      summary="Every agent in the organisation: registered, and discovered when it reports in unannounced."
      items={[
        "The agent registry: owner, team, framework, models, tools, data access, status and health",
        "Agent keys and org ingest keys, shown once and stored hashed",
        "Each agent's events, cost and versions",
      ]}
    />
  );
}

import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Kill switches" };

export default function KillSwitchesPage() {
  return (
    <ComingSoon
      title="Kill switches"
      summary="Stop any agent, team, model, workflow or the whole organisation at once."
      items={["Engage and resume with a reason and a typed confirmation", "Which connected agents have acknowledged the halt, and how fast"]}
    />
  );
}

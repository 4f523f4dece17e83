import type { Metadata } from "next";
import { KillSwitchesPage } from "@/components/kill-switches/kill-switches-page";

export const metadata: Metadata = { title: "Kill switches" };

export default function Page() {
  return <KillSwitchesPage />;
}

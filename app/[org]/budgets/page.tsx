import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Budgets" };

export default function BudgetsPage() {
  return (
    <ComingSoon
      title="Budgets"
      summary="Spending caps on the org, its teams and its agents that hold under load."
      items={["Daily and monthly budgets, hard or soft, with alert thresholds", "Spent, reserved and remaining, with the month-end forecast", "Spend over time by team, agent and model"]}
    />
  );
}

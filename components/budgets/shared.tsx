"use client";

import type { ReactNode } from "react";
import { Dialog } from "@/components/ui/dialog";
import type { RouterOutputs } from "@/components/trpc/react";

export type BudgetRow = RouterOutputs["budgets"]["list"]["budgets"][number];

export function budgetName(budget: Pick<BudgetRow, "scope" | "teamName" | "agentName">, orgName: string): string {
  if (budget.scope === "org") return `${orgName} (organisation)`;
  if (budget.scope === "team") return budget.teamName ?? "(deleted team)";
  return budget.agentName ?? "(deleted agent)";
}

export function DialogShell({ title, description, onClose, children }: { title: string; description?: string; onClose: () => void; children: ReactNode }) {
  return (
    <Dialog open onClose={onClose} title={title} description={description}>
      {children}
    </Dialog>
  );
}

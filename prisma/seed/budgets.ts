// Budgets of the demo org (docs/demo.md: the org and every team monthly, doc-classifier
// a hard daily cap of $1). Limits fit the seeded history (about $255 a month across the fleet:
// Finance ~$155, Marketing ~$66, Customer Service ~$28, IT ~$2), so the page shows budgets at
// different levels of use, and Finance's lead has split most of Finance's budget among its agents.
import type { Tx } from "../../server/db";
import { appendAudit, type AuditActor } from "../../server/data/audit";
import { scopeKey, type BudgetMode, type BudgetScope } from "../../server/domain/budget/arithmetic";
import type { BudgetPeriod } from "../../server/domain/budget/period";
import { microsToUsdString, usdToMicros } from "../../server/domain/cost/money";

interface SeedBudget {
  scope: BudgetScope;
  /** Team name (team budgets) or agent name (agent budgets). */
  of?: string;
  period: BudgetPeriod;
  mode: BudgetMode;
  limitUsd: string;
}

export const SEED_BUDGETS: SeedBudget[] = [
  { scope: "org", period: "monthly", mode: "hard", limitUsd: "500" },
  { scope: "team", of: "Finance", period: "monthly", mode: "hard", limitUsd: "200" },
  { scope: "team", of: "Marketing", period: "monthly", mode: "hard", limitUsd: "80" },
  { scope: "team", of: "IT", period: "monthly", mode: "hard", limitUsd: "25" },
  { scope: "team", of: "Customer Service", period: "monthly", mode: "soft", limitUsd: "40" },
  { scope: "agent", of: "doc-classifier", period: "daily", mode: "hard", limitUsd: "1" },
  { scope: "agent", of: "financial-analyst", period: "monthly", mode: "hard", limitUsd: "140" },
  { scope: "agent", of: "reconciliation-agent", period: "monthly", mode: "hard", limitUsd: "40" },
];

export async function seedBudgets(tx: Tx, input: { orgId: string; teamIds: Map<string, string>; agentIds: Map<string, string>; system: AuditActor }): Promise<void> {
  const agentTeams = new Map((await tx.agent.findMany({ where: { orgId: input.orgId }, select: { id: true, teamId: true } })).map((agent) => [agent.id, agent.teamId]));
  for (const seed of SEED_BUDGETS) {
    let teamId: string | null = null;
    let agentId: string | null = null;
    if (seed.scope === "team") teamId = input.teamIds.get(seed.of ?? "") ?? null;
    if (seed.scope === "agent") {
      agentId = input.agentIds.get(seed.of ?? "") ?? null;
      teamId = agentId ? (agentTeams.get(agentId) ?? null) : null;
    }
    if (seed.scope !== "org" && !teamId && !agentId) throw new Error(`seedBudgets: unknown ${seed.scope} ${seed.of ?? ""}`);
    const budget = await tx.budget.create({
      data: {
        orgId: input.orgId,
        scope: seed.scope,
        scopeKey: scopeKey({ scope: seed.scope, teamId, agentId }),
        teamId,
        agentId,
        period: seed.period,
        mode: seed.mode,
        limitMicros: usdToMicros(seed.limitUsd),
      },
    });
    await appendAudit(tx, input.orgId, input.system, {
      action: "budget.created",
      targetType: "budget",
      targetId: budget.id,
      teamId,
      after: { scope: budget.scope, teamId, agentId, period: budget.period, mode: budget.mode, limitUsd: microsToUsdString(budget.limitMicros), thresholds: budget.thresholds },
    });
  }
}

// Budgets as people set them in the console: create, change and delete, each audited with before
// and after in the caller's transaction and announced to every process (directives, caches) by
// NOTIFY on commit. Owners and admins set any budget; a team lead splits their team's budget among
// its agents (agent budgets only, within what the team has). A limit may not go below this
// period's spend. The figures shown: server/data/budgets.ts.
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { Tx } from "../db";
import { notifyChange } from "../db/notify";
import { refusingDuplicates } from "../db/unique-violation";
import { isExhausted, scopeKey, thresholdsReached, type BudgetMode, type BudgetScope } from "../domain/budget/arithmetic";
import { periodBounds, type BudgetPeriod } from "../domain/budget/period";
import { checkLimitAgainstSpent, checkTeamAllocation, parseLimitUsd } from "../domain/budget/validation";
import { microsToUsdString } from "../domain/cost/money";
import { found, refuse } from "../domain/refusal";
import type { AuditWriter } from "./audit";
import { spentInPeriod } from "./budgets";

const LEAD_ONLY_AGENTS = "Team leads split their team's budget among its agents; owners and admins set team and org budgets.";

export interface BudgetTerms {
  /** USD, as a decimal string. */
  limitUsd: string;
  mode: BudgetMode;
  thresholds: readonly number[];
}

interface BudgetTarget {
  scope: BudgetScope;
  teamId: string | null;
  agentId: string | null;
  period: BudgetPeriod;
}

/** What the audit log keeps of a budget: amounts as exact decimal strings. */
function snapshot(budget: { scope: string; teamId: string | null; agentId: string | null; period: string; mode: string; limitMicros: bigint; thresholds: number[] }) {
  return {
    scope: budget.scope,
    teamId: budget.teamId,
    agentId: budget.agentId,
    period: budget.period,
    mode: budget.mode,
    limitUsd: microsToUsdString(budget.limitMicros),
    thresholds: budget.thresholds,
  };
}

function limitOf(text: string): bigint {
  const parsed = parseLimitUsd(text);
  if (!parsed.ok) refuse("BAD_REQUEST", parsed.message);
  return parsed.micros;
}

const sortedThresholds = (thresholds: readonly number[]) => [...thresholds].sort((a, b) => a - b);

async function agentInOrg(tx: Tx, orgId: AuthorizedOrgId, agentId: string) {
  return found(await tx.agent.findFirst({ where: { orgId, id: agentId }, select: { id: true, name: true, teamId: true } }), "agent");
}

/** Team leads may only touch agent budgets, of their own teams' agents. */
function assertMayManage(access: AuthorizedOrg, scope: BudgetScope, teamId: string | null): void {
  if (access.reach.kind === "teams" && scope !== "agent") refuse("FORBIDDEN", LEAD_ONLY_AGENTS);
  assertTeamInReach(access, teamId);
}

/**
 * The rules every create and update passes: the limit not below this period's spend, and, for a
 * team lead, the team's agents' budgets within the team's own budget.
 */
async function checkLimit(tx: Tx, access: AuthorizedOrg, target: BudgetTarget, limitMicros: bigint, excludeBudgetId: string | null, now: Date) {
  const belowSpent = checkLimitAgainstSpent(limitMicros, await spentInPeriod(tx, access.orgId, target, target.period, now), target.period);
  if (belowSpent) refuse("BAD_REQUEST", belowSpent);
  if (access.reach.kind !== "teams" || target.scope !== "agent") return;
  const teamId = target.teamId;
  if (!teamId) refuse("BAD_REQUEST", "This agent is in no team, so there is no team budget to split.");
  const team = await tx.team.findFirstOrThrow({ where: { orgId: access.orgId, id: teamId }, select: { name: true } });
  const teamBudget = await tx.budget.findFirst({ where: { orgId: access.orgId, scopeKey: scopeKey({ scope: "team", teamId, agentId: null }), period: target.period } });
  const teamAgents = await tx.agent.findMany({ where: { orgId: access.orgId, teamId }, select: { id: true } });
  const others = await tx.budget.aggregate({
    where: {
      orgId: access.orgId,
      scope: "agent",
      period: target.period,
      agentId: { in: teamAgents.map((agent) => agent.id) },
      ...(excludeBudgetId ? { id: { not: excludeBudgetId } } : {}),
    },
    _sum: { limitMicros: true },
  });
  const allocation = checkTeamAllocation({
    teamName: team.name,
    period: target.period,
    teamLimitMicros: teamBudget?.limitMicros ?? null,
    otherAllocationsMicros: others._sum.limitMicros ?? 0n,
    requestedMicros: limitMicros,
  });
  if (!allocation.ok) refuse("BAD_REQUEST", allocation.message);
}

/** A changed limit can un-cross thresholds and end an exhaustion: let them alert again this period. */
async function resetAlertState(tx: Tx, budget: { id: string; period: BudgetPeriod; limitMicros: bigint; thresholds: number[]; mode: BudgetMode }, spent: bigint, now: Date) {
  const key = { budgetId_periodStart: { budgetId: budget.id, periodStart: periodBounds(budget.period, now).start } };
  const usage = await tx.budgetUsage.findUnique({ where: key });
  if (!usage) return;
  const reached = new Set(thresholdsReached(budget.thresholds, budget.limitMicros, spent));
  await tx.budgetUsage.update({
    where: key,
    data: {
      thresholdsAlerted: usage.thresholdsAlerted.filter((percent) => reached.has(percent)),
      exhaustedAt: isExhausted({ mode: budget.mode, limitMicros: budget.limitMicros, spentMicros: spent }) ? usage.exhaustedAt : null,
    },
  });
}

/** Creates a budget for the org, a team or an agent, for a period. One per scope and period. */
export async function createBudget(
  tx: Tx,
  audit: AuditWriter,
  access: AuthorizedOrg,
  input: BudgetTerms & { scope: BudgetScope; teamId?: string | null | undefined; agentId?: string | null | undefined; period: BudgetPeriod },
  now: Date = new Date(),
) {
  const orgId = access.orgId;
  if (access.reach.kind === "teams" && input.scope !== "agent") refuse("FORBIDDEN", LEAD_ONLY_AGENTS);
  let teamId: string | null = null;
  let agentId: string | null = null;
  if (input.scope === "team" && input.teamId) {
    teamId = found(await tx.team.findFirst({ where: { orgId, id: input.teamId } }), "team").id;
  } else if (input.scope === "agent" && input.agentId) {
    const agent = await agentInOrg(tx, orgId, input.agentId);
    teamId = agent.teamId;
    agentId = agent.id;
  }
  assertTeamInReach(access, teamId);
  const limitMicros = limitOf(input.limitUsd);
  const target = { scope: input.scope, teamId, agentId, period: input.period };
  await checkLimit(tx, access, target, limitMicros, null, now);
  const budget = await refusingDuplicates("That scope already has a budget for this period; edit it instead.", () =>
    tx.budget.create({ data: { orgId, ...target, scopeKey: scopeKey(target), mode: input.mode, limitMicros, thresholds: sortedThresholds(input.thresholds) } }),
  );
  await audit({ action: "budget.created", targetType: "budget", targetId: budget.id, teamId, after: snapshot(budget) });
  await notifyChange(tx, { orgId, kind: "budget" });
  return { id: budget.id };
}

/** The budget with the team it belongs to today (an agent's: its agent's team), once the caller may manage it. */
async function budgetToChange(tx: Tx, access: AuthorizedOrg, budgetId: string) {
  const budget = found(await tx.budget.findFirst({ where: { orgId: access.orgId, id: budgetId } }), "budget");
  const teamId = budget.scope === "agent" && budget.agentId ? (await agentInOrg(tx, access.orgId, budget.agentId)).teamId : budget.teamId;
  assertMayManage(access, budget.scope, teamId);
  return { budget, teamId };
}

/** Changes a budget's limit, mode and thresholds (its scope and period stay). */
export async function updateBudget(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, budgetId: string, terms: BudgetTerms, now: Date = new Date()) {
  const { budget: before, teamId } = await budgetToChange(tx, access, budgetId);
  const limitMicros = limitOf(terms.limitUsd);
  const target = { scope: before.scope, teamId, agentId: before.agentId, period: before.period };
  await checkLimit(tx, access, target, limitMicros, before.id, now);
  const after = await tx.budget.update({ where: { id: before.id }, data: { mode: terms.mode, limitMicros, thresholds: sortedThresholds(terms.thresholds) } });
  await resetAlertState(tx, after, await spentInPeriod(tx, access.orgId, target, after.period, now), now);
  await audit({ action: "budget.updated", targetType: "budget", targetId: after.id, teamId, before: snapshot(before), after: snapshot(after) });
  await notifyChange(tx, { orgId: access.orgId, kind: "budget" });
  return { id: after.id };
}

export async function deleteBudget(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, budgetId: string) {
  const { budget, teamId } = await budgetToChange(tx, access, budgetId);
  await tx.budgetUsage.deleteMany({ where: { budgetId: budget.id } });
  await tx.budget.delete({ where: { id: budget.id } });
  await audit({ action: "budget.deleted", targetType: "budget", targetId: budget.id, teamId, before: snapshot(budget) });
  await notifyChange(tx, { orgId: access.orgId, kind: "budget" });
  return { id: budget.id };
}

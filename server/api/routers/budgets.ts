// Budgets in the console. Owners and admins set any budget; a team lead splits their team's
// budget among its agents (agent budgets only, within what the team has). Every change is
// audited with before and after, and tells every process (directives, caches) through NOTIFY.
import { TRPCError } from "@trpc/server";
import type { AuthorizedOrg } from "../../auth/access";
import type { Tx } from "../../db";
import { notifyChange } from "../../db/notify";
import { listBudgetViews, spentInPeriod, type BudgetView } from "../../data/budgets";
import { costViews } from "../../data/cost-views";
import { Prisma } from "../../generated/prisma/client";
import { forecastAtPeriodEnd, isExhausted, remainingMicros, scopeKey, thresholdsReached, type BudgetScope } from "../../domain/budget/arithmetic";
import { periodBounds, type BudgetPeriod } from "../../domain/budget/period";
import { budgetCreateSchema, budgetRef, budgetUpdateSchema, checkLimitAgainstSpent, checkTeamAllocation, parseLimitUsd } from "../../domain/budget/validation";
import { microsToUsdString } from "../../domain/cost/money";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

function teamScope(access: AuthorizedOrg): readonly string[] | null {
  return access.reach.kind === "teams" ? access.reach.teamIds : null;
}

function present(view: BudgetView, now: Date) {
  return {
    ...view,
    remainingMicros: remainingMicros(view),
    forecastMicros: forecastAtPeriodEnd(view.spentMicros, { start: view.periodStart, end: view.periodEnd }, now),
    thresholdsReached: thresholdsReached(view.thresholds, view.limitMicros, view.spentMicros),
    exhausted: isExhausted(view),
  };
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
  if (!parsed.ok) throw new TRPCError({ code: "BAD_REQUEST", message: parsed.message });
  return parsed.micros;
}

function refuse(message: string): never {
  throw new TRPCError({ code: "BAD_REQUEST", message });
}

const LEAD_ONLY_AGENTS = "Team leads split their team's budget among its agents; owners and admins set team and org budgets.";

async function agentInOrg(tx: Tx, orgId: string, agentId: string) {
  const agent = await tx.agent.findFirst({ where: { orgId, id: agentId }, select: { id: true, name: true, teamId: true } });
  if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
  return agent;
}

/**
 * The rules every create and update passes: the limit not below this period's spend, and, for a
 * team lead, the team's agents' budgets within the team's own budget.
 */
async function checkLimit(
  tx: Tx,
  access: AuthorizedOrg,
  target: { scope: BudgetScope; teamId: string | null; agentId: string | null; period: BudgetPeriod },
  limitMicros: bigint,
  excludeBudgetId: string | null,
  now: Date,
) {
  const spent = await spentInPeriod(tx, access.orgId, target, target.period, now);
  const belowSpent = checkLimitAgainstSpent(limitMicros, spent, target.period);
  if (belowSpent) refuse(belowSpent);

  if (access.reach.kind === "teams" && target.scope === "agent") {
    const teamId = target.teamId;
    if (!teamId) refuse("This agent is in no team, so there is no team budget to split.");
    const team = await tx.team.findFirstOrThrow({ where: { orgId: access.orgId, id: teamId }, select: { name: true } });
    const teamBudget = await tx.budget.findFirst({ where: { orgId: access.orgId, scopeKey: scopeKey({ scope: "team", teamId, agentId: null }), period: target.period } });
    const others = await tx.budget.aggregate({
      where: {
        orgId: access.orgId,
        scope: "agent",
        period: target.period,
        agentId: { in: (await tx.agent.findMany({ where: { orgId: access.orgId, teamId }, select: { id: true } })).map((agent) => agent.id) },
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
    if (!allocation.ok) refuse(allocation.message);
  }
}

function duplicate(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new TRPCError({ code: "CONFLICT", message: "That scope already has a budget for this period; edit it instead." });
  }
  throw error;
}

/** A changed limit can un-cross thresholds and end an exhaustion: let them alert again this period. */
async function resetAlertState(tx: Tx, budget: { id: string; period: BudgetPeriod; limitMicros: bigint; thresholds: number[]; mode: "hard" | "soft" }, spent: bigint, now: Date) {
  const start = periodBounds(budget.period, now).start;
  const usage = await tx.budgetUsage.findUnique({ where: { budgetId_periodStart: { budgetId: budget.id, periodStart: start } } });
  if (!usage) return;
  const reached = new Set(thresholdsReached(budget.thresholds, budget.limitMicros, spent));
  await tx.budgetUsage.update({
    where: { budgetId_periodStart: { budgetId: budget.id, periodStart: start } },
    data: {
      thresholdsAlerted: usage.thresholdsAlerted.filter((percent) => reached.has(percent)),
      exhaustedAt: isExhausted({ mode: budget.mode, limitMicros: budget.limitMicros, spentMicros: spent }) ? usage.exhaustedAt : null,
    },
  });
}

export const budgetsRouter = createTRPCRouter({
  /** Every budget in reach (team leads: their teams' and their agents'), with this period's figures. */
  list: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const now = new Date();
    const views = await listBudgetViews(ctx.db, ctx.access.orgId, now, teamScope(ctx.access));
    return { now, budgets: views.map((view) => present(view, now)) };
  }),

  /** Spend by day, agent and model, and cost per task, for the cost charts. */
  costs: orgProcedure("dashboard:read").query(({ ctx }) => costViews(ctx.db, ctx.access.orgId, teamScope(ctx.access), new Date())),

  create: orgProcedure("budgets:write")
    .input(budgetCreateSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const orgId = ctx.access.orgId;
          const now = new Date();
          if (ctx.access.reach.kind === "teams" && input.scope !== "agent") throw new TRPCError({ code: "FORBIDDEN", message: LEAD_ONLY_AGENTS });
          let teamId: string | null = null;
          let agentId: string | null = null;
          if (input.scope === "team" && input.teamId) {
            const team = await tx.team.findFirst({ where: { orgId, id: input.teamId } });
            if (!team) throw new TRPCError({ code: "NOT_FOUND", message: "No such team." });
            assertTeamInReach(ctx.access, team.id);
            teamId = team.id;
          } else if (input.scope === "agent" && input.agentId) {
            const agent = await agentInOrg(tx, orgId, input.agentId);
            assertTeamInReach(ctx.access, agent.teamId);
            teamId = agent.teamId;
            agentId = agent.id;
          }
          const limitMicros = limitOf(input.limitUsd);
          const target = { scope: input.scope, teamId, agentId, period: input.period };
          await checkLimit(tx, ctx.access, target, limitMicros, null, now);
          const budget = await tx.budget.create({
            data: { orgId, scope: input.scope, scopeKey: scopeKey(target), teamId, agentId, period: input.period, mode: input.mode, limitMicros, thresholds: [...input.thresholds].sort((a, b) => a - b) },
          });
          await audit({ action: "budget.created", targetType: "budget", targetId: budget.id, teamId, after: snapshot(budget) });
          await notifyChange(tx, { orgId, kind: "budget" });
          return { id: budget.id };
        })
        .catch(duplicate),
    ),

  update: orgProcedure("budgets:write")
    .input(budgetUpdateSchema)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const orgId = ctx.access.orgId;
        const now = new Date();
        const before = await tx.budget.findFirst({ where: { orgId, id: input.budgetId } });
        if (!before) throw new TRPCError({ code: "NOT_FOUND", message: "No such budget." });
        let teamId = before.teamId;
        if (before.scope === "agent" && before.agentId) teamId = (await agentInOrg(tx, orgId, before.agentId)).teamId;
        if (ctx.access.reach.kind === "teams" && before.scope !== "agent") throw new TRPCError({ code: "FORBIDDEN", message: LEAD_ONLY_AGENTS });
        assertTeamInReach(ctx.access, teamId);
        const limitMicros = limitOf(input.fields.limitUsd);
        const target = { scope: before.scope, teamId, agentId: before.agentId, period: before.period };
        await checkLimit(tx, ctx.access, target, limitMicros, before.id, now);
        const after = await tx.budget.update({
          where: { id: before.id },
          data: { mode: input.fields.mode, limitMicros, thresholds: [...input.fields.thresholds].sort((a, b) => a - b) },
        });
        await resetAlertState(tx, after, await spentInPeriod(tx, orgId, target, after.period, now), now);
        await audit({ action: "budget.updated", targetType: "budget", targetId: after.id, teamId, before: snapshot(before), after: snapshot(after) });
        await notifyChange(tx, { orgId, kind: "budget" });
        return { id: after.id };
      }),
    ),

  delete: orgProcedure("budgets:write")
    .input(budgetRef)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const orgId = ctx.access.orgId;
        const before = await tx.budget.findFirst({ where: { orgId, id: input.budgetId } });
        if (!before) throw new TRPCError({ code: "NOT_FOUND", message: "No such budget." });
        let teamId = before.teamId;
        if (before.scope === "agent" && before.agentId) teamId = (await agentInOrg(tx, orgId, before.agentId)).teamId;
        if (ctx.access.reach.kind === "teams" && before.scope !== "agent") throw new TRPCError({ code: "FORBIDDEN", message: LEAD_ONLY_AGENTS });
        assertTeamInReach(ctx.access, teamId);
        await tx.budgetUsage.deleteMany({ where: { budgetId: before.id } });
        await tx.budget.delete({ where: { id: before.id } });
        await audit({ action: "budget.deleted", targetType: "budget", targetId: before.id, teamId, before: snapshot(before) });
        await notifyChange(tx, { orgId, kind: "budget" });
        return { id: before.id };
      }),
    ),
});

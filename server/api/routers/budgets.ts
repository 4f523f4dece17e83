// Budgets in the console. Owners and admins set any budget; a team lead splits their team's
// budget among its agents (agent budgets only, within what the team has). Every change is
// audited with before and after, and tells every process (directives, caches) through NOTIFY.
import { createBudget, deleteBudget, updateBudget } from "../../data/budget-definitions";
import { listBudgets } from "../../data/budgets";
import { costViews } from "../../data/cost-views";
import { budgetCreateSchema, budgetRef, budgetUpdateSchema } from "../../domain/budget/validation";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const budgetsRouter = createTRPCRouter({
  /** Every budget in reach (team leads: their teams' and their agents'), with this period's figures. */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listBudgets(ctx.db, ctx.access)),

  /** Spend by day, agent and model, and cost per task, for the cost charts. */
  costs: orgProcedure("dashboard:read").query(({ ctx }) => costViews(ctx.db, ctx.access, new Date())),

  create: orgProcedure("budgets:write")
    .input(budgetCreateSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createBudget(tx, audit, ctx.access, input))),

  update: orgProcedure("budgets:write")
    .input(budgetUpdateSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updateBudget(tx, audit, ctx.access, input.budgetId, input.fields))),

  delete: orgProcedure("budgets:write")
    .input(budgetRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deleteBudget(tx, audit, ctx.access, input.budgetId))),
});

import { listModels, upsertModel } from "../../data/models";
import { modelInput } from "../../domain/routing/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const modelsRouter = createTRPCRouter({
  /** The org's model registry, for pickers (prices as micro-dollar strings per million tokens). */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listModels(ctx.db, ctx.access.orgId)),

  /** Adds a model to the registry or changes its prices, tier or status (admins). */
  upsert: orgProcedure("org:admin")
    .input(modelInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => upsertModel(tx, audit, ctx.access.orgId, input))),
});

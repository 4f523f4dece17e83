import { forgetFacts } from "../../data/facts";
import { microsToUsdString, usdToMicros } from "../../domain/cost/money";
import { modelInput } from "../../domain/routing/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

function modelSnapshot(model: { provider: string; name: string; inputMicrosPerMTok: bigint; outputMicrosPerMTok: bigint; qualityTier: number; contextWindow: number | null; status: string }) {
  return {
    provider: model.provider,
    name: model.name,
    inputUsdPerMTok: microsToUsdString(model.inputMicrosPerMTok),
    outputUsdPerMTok: microsToUsdString(model.outputMicrosPerMTok),
    qualityTier: model.qualityTier,
    contextWindow: model.contextWindow,
    status: model.status,
  };
}

export const modelsRouter = createTRPCRouter({
  /** The org's model registry, for pickers (prices as micro-dollar strings per million tokens). */
  list: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const models = await ctx.db.model.findMany({ where: { orgId: ctx.access.orgId }, orderBy: [{ provider: "asc" }, { name: "asc" }] });
    return models.map((model) => ({
      id: model.id,
      name: model.name,
      provider: model.provider,
      qualityTier: model.qualityTier,
      contextWindow: model.contextWindow,
      status: model.status,
      inputMicrosPerMTok: model.inputMicrosPerMTok.toString(),
      outputMicrosPerMTok: model.outputMicrosPerMTok.toString(),
    }));
  }),

  /** Adds a model to the registry or changes its prices, tier or status (admins). */
  upsert: orgProcedure("org:admin")
    .input(modelInput)
    .mutation(async ({ ctx, input }) => {
      const data = {
        provider: input.provider,
        inputMicrosPerMTok: usdToMicros(input.inputUsdPerMTok),
        outputMicrosPerMTok: usdToMicros(input.outputUsdPerMTok),
        qualityTier: input.qualityTier,
        contextWindow: input.contextWindow,
        status: input.status,
      };
      const result = await ctx.audited(async (tx, audit) => {
        const before = await tx.model.findUnique({ where: { orgId_name: { orgId: ctx.access.orgId, name: input.name } } });
        const model = await tx.model.upsert({
          where: { orgId_name: { orgId: ctx.access.orgId, name: input.name } },
          create: { orgId: ctx.access.orgId, name: input.name, ...data },
          update: data,
        });
        await audit({
          action: before ? "model.updated" : "model.created",
          targetType: "model",
          targetId: model.name,
          before: before ? modelSnapshot(before) : null,
          after: modelSnapshot(model),
        });
        return { name: model.name };
      });
      forgetFacts(ctx.access.orgId);
      return result;
    }),
});

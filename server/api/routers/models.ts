import { z } from "zod";
import { forgetFacts } from "../../data/facts";
import { microsToUsdString, usdToMicros } from "../../domain/cost/money";
import { createTRPCRouter, orgProcedure } from "../trpc";

/** USD per million tokens: a decimal string, at most $10,000 (no real model costs more). */
const pricePerMTok = z
  .string()
  .trim()
  .regex(/^\d{1,5}(\.\d{1,6})?$/, "A price in dollars per million tokens, such as 2.50")
  .refine((value) => usdToMicros(value) <= 10_000_000_000n, "At most $10,000 per million tokens");

const modelInput = z.object({
  provider: z.string().trim().min(1, "Name the provider").max(60).regex(/^[a-z0-9][a-z0-9._-]*$/, "Lower-case, like openai or anthropic"),
  name: z.string().trim().min(1, "Name the model").max(200),
  inputUsdPerMTok: pricePerMTok,
  outputUsdPerMTok: pricePerMTok,
  qualityTier: z.number().int().min(1, "Quality tiers run from 1 to 5").max(5, "Quality tiers run from 1 to 5"),
  contextWindow: z.number().int().min(1).max(100_000_000).nullable(),
  status: z.enum(["active", "deprecated", "disabled"]),
});

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

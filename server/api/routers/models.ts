import { z } from "zod";
import { listModels, upsertModel } from "../../data/models";
import { usdToMicros } from "../../domain/cost/money";
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

export const modelsRouter = createTRPCRouter({
  /** The org's model registry, for pickers (prices as micro-dollar strings per million tokens). */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listModels(ctx.db, ctx.access.orgId)),

  /** Adds a model to the registry or changes its prices, tier or status (admins). */
  upsert: orgProcedure("org:admin")
    .input(modelInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => upsertModel(tx, audit, ctx.access.orgId, input))),
});

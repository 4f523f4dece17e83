// The inputs of the model registry and routing rules, shared by the console's forms and the
// routers (no server-only imports), so both refuse the same values with the same words.
import { z } from "zod";
import { usdToMicros } from "../cost/money";

const qualityTier = z.number().int().min(1, "Quality tiers run from 1 to 5").max(5, "Quality tiers run from 1 to 5");

const PRICE = /^\d{1,5}(\.\d{1,6})?$/;

/** USD per million tokens: a decimal string, at most $10,000 (no real model costs more). */
const pricePerMTok = z
  .string()
  .trim()
  .regex(PRICE, "A price in dollars per million tokens, such as 2.50")
  // zod runs this even when the pattern failed: only a decimal can be converted (else it throws).
  .refine((value) => !PRICE.test(value) || usdToMicros(value) <= 10_000_000_000n, "At most $10,000 per million tokens");

export const MODEL_STATUSES = ["active", "deprecated", "disabled"] as const;

export const modelInput = z.object({
  provider: z
    .string()
    .trim()
    .min(1, "Name the provider")
    .max(60)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "Lower-case, like openai or anthropic"),
  name: z.string().trim().min(1, "Name the model").max(200),
  inputUsdPerMTok: pricePerMTok,
  outputUsdPerMTok: pricePerMTok,
  qualityTier,
  contextWindow: z.number("A number of tokens, such as 128000").int("A whole number of tokens").min(1, "At least 1 token").max(100_000_000, "At most 100,000,000 tokens").nullable(),
  status: z.enum(MODEL_STATUSES),
});

const taskType = z
  .string()
  .trim()
  .min(1, "Name the task type")
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "Lower-case letters, digits, dots, dashes and underscores");

export const routingRuleInput = z.object({
  taskType,
  minQuality: qualityTier,
  allowedProviders: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  fallbackChain: z.array(z.string().trim().min(1).max(200)).max(10, "At most 10 fallbacks").default([]),
});

export const deleteRoutingRuleInput = z.object({ taskType: z.string().trim().min(1).max(100) });

export const routingSavingsInput = z.object({ days: z.number().int().min(1).max(90).default(30) });

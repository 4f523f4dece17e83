// The inputs of the policies procedures, shared by the console's editor and panels and the router
// (no server-only imports), so both refuse the same things with the same words.
import { z } from "zod";
import { ruleFormSchema } from "./form";
import { ACTION_TYPES } from "./vocabulary";

export const policyRef = z.object({ policyId: z.string().uuid() });
const policyName = z.string().trim().min(1, "Enter a name").max(120, "At most 120 characters");
const policyDescription = z.string().trim().max(500, "At most 500 characters").default("");
const cedarText = z.string().max(100_000, "At most 100,000 characters");

/** A policy as written: the everyday-rule form (the server writes its Cedar), or Cedar text. */
export const policySourceSchema = z.discriminatedUnion("kind", [z.object({ kind: z.literal("form"), form: ruleFormSchema }), z.object({ kind: z.literal("cedar"), cedar: cedarText })]);
export type PolicySource = z.infer<typeof policySourceSchema>;

/** A change not saved yet (a new or edited policy, or a removal), to simulate or to replay decisions against. */
export const policyDraftSchema = z.object({
  policyId: z.string().uuid().nullable().optional(),
  name: z.string().trim().max(120).default("Draft"),
  source: policySourceSchema,
  remove: z.boolean().optional(),
});
export type PolicyDraft = z.infer<typeof policyDraftSchema>;

export const validatePolicyInput = z.object({ source: policySourceSchema });
export const createPolicyInput = z.object({ name: policyName, description: policyDescription, source: policySourceSchema, enforce: z.boolean().default(false) });
export const updatePolicyInput = policyRef.extend({ name: policyName, description: policyDescription, source: policySourceSchema });
export const defaultDecisionInput = z.object({ decision: z.enum(["allow", "deny"]) });

const actionSchema = z.object({
  type: z.enum(ACTION_TYPES),
  name: z.string().trim().min(1, "Name the tool, model, data class, agent or budget").max(200),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

export const simulatePolicyInput = z.object({
  agentId: z.string().uuid("Pick an agent."),
  action: actionSchema,
  dataClasses: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  estimatedCostUsd: z
    .string()
    .trim()
    .regex(/^\d{1,9}(\.\d{1,6})?$/, "An amount in USD, e.g. 0.25")
    .nullable()
    .default(null),
  /** UTC hour of day to simulate; now when absent. */
  hour: z.number().int().min(0).max(23).nullable().default(null),
  draft: policyDraftSchema.optional(),
});

export const policyImpactInput = z.object({ draft: policyDraftSchema, limit: z.number().int().min(1).max(5_000).default(500) });

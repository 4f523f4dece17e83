// Agent permission policies: list, read with history, write (from the everyday-rule form or as
// Cedar text), validate, enforce / disable, delete, simulate, replay recent decisions against a
// draft, and the org's default when nothing matches. A text that does not parse or validate is
// refused with its line and message; the enforced set is then untouched. Every change is audited
// with the Cedar text before and after, kept as a PolicyVersion, and NOTIFYed after commit.
import { z } from "zod";
import { createPolicy, deletePolicy, setDefaultDecision, setPolicyStatus, updatePolicy } from "../../data/policy-changes";
import { policyDetail, policyList } from "../../data/policies";
import { policyImpact, simulatePolicy } from "../../data/policy-simulation";
import { ruleFormSchema } from "../../domain/policy/form";
import { ACTION_TYPES } from "../../domain/policy/vocabulary";
import { validateSource } from "../../policy/sources";
import { createTRPCRouter, orgProcedure } from "../trpc";

const policyId = z.object({ policyId: z.string().uuid() });
const policyName = z.string().trim().min(1, "Enter a name").max(120, "At most 120 characters");
const cedarText = z.string().max(100_000, "At most 100,000 characters");

const sourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("form"), form: ruleFormSchema }),
  z.object({ kind: z.literal("cedar"), cedar: cedarText }),
]);

const draftSchema = z.object({
  policyId: z.string().uuid().nullable().optional(),
  name: z.string().trim().max(120).default("Draft"),
  source: sourceSchema,
  remove: z.boolean().optional(),
});

const actionSchema = z.object({
  type: z.enum(ACTION_TYPES),
  name: z.string().trim().min(1, "Name the tool, model, data class, agent or budget").max(200),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

export const policiesRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read").query(({ ctx }) => policyList(ctx.db, ctx.access.orgId)),

  get: orgProcedure("dashboard:read")
    .input(policyId)
    .query(({ ctx, input }) => policyDetail(ctx.db, ctx.access.orgId, input.policyId)),

  /** Parses and validates Cedar text (or a form's text) against the schema; changes nothing. */
  validate: orgProcedure("dashboard:read")
    .input(z.object({ source: sourceSchema }))
    .query(({ input }) => validateSource(input.source)),

  create: orgProcedure("policies:write")
    .input(z.object({ name: policyName, description: z.string().trim().max(500).default(""), source: sourceSchema, enforce: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createPolicy(tx, audit, ctx.access, input))),

  update: orgProcedure("policies:write")
    .input(policyId.extend({ name: policyName, description: z.string().trim().max(500).default(""), source: sourceSchema }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updatePolicy(tx, audit, ctx.access, input))),

  enforce: orgProcedure("policies:write")
    .input(policyId)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setPolicyStatus(tx, audit, ctx.access, input.policyId, "enforced"))),

  disable: orgProcedure("policies:write")
    .input(policyId)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setPolicyStatus(tx, audit, ctx.access, input.policyId, "disabled"))),

  delete: orgProcedure("policies:write")
    .input(policyId)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deletePolicy(tx, audit, ctx.access.orgId, input.policyId))),

  /** The org's answer when no policy matches (deny unless set to allow): an org setting. */
  setDefault: orgProcedure("org:admin")
    .input(z.object({ decision: z.enum(["allow", "deny"]) }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setDefaultDecision(tx, audit, ctx.access.orgId, input.decision))),

  /** What would this agent doing this get, and which policy decided: against the enforced set or a draft. */
  simulate: orgProcedure("dashboard:read")
    .input(
      z.object({
        agentId: z.string().uuid(),
        action: actionSchema,
        dataClasses: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
        estimatedCostUsd: z.string().trim().regex(/^\d{1,9}(\.\d{1,6})?$/, "An amount in USD, e.g. 0.25").nullable().default(null),
        /** UTC hour of day to simulate; now when absent. */
        hour: z.number().int().min(0).max(23).nullable().default(null),
        draft: draftSchema.optional(),
      }),
    )
    .query(({ ctx, input }) => simulatePolicy(ctx.db, ctx.access, input)),

  /** Replays the last N recorded decisions against the enforced set and the draft; lists what would change. */
  impact: orgProcedure("dashboard:read")
    .input(z.object({ draft: draftSchema, limit: z.number().int().min(1).max(5_000).default(500) }))
    .query(({ ctx, input }) => policyImpact(ctx.db, ctx.access, input)),
});

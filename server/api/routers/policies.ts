// Agent permission policies: list, read with history, write (from the everyday-rule form or as
// Cedar text), validate, enforce / disable, delete, simulate, replay recent decisions against a
// draft, and the org's default when nothing matches. A text that does not parse or validate is
// refused with its line and message; the enforced set is then untouched. Every change is audited
// with the Cedar text before and after, kept as a PolicyVersion, and NOTIFYed after commit.
import { createPolicy, deletePolicy, setDefaultDecision, setPolicyStatus, updatePolicy } from "../../data/policy-changes";
import { policyDetail, policyList } from "../../data/policies";
import { policyImpact, simulatePolicy } from "../../data/policy-simulation";
import { createPolicyInput, defaultDecisionInput, policyImpactInput, policyRef, simulatePolicyInput, updatePolicyInput, validatePolicyInput } from "../../domain/policy/schemas";
import { validateSource } from "../../policy/sources";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const policiesRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read").query(({ ctx }) => policyList(ctx.db, ctx.access.orgId)),

  get: orgProcedure("dashboard:read")
    .input(policyRef)
    .query(({ ctx, input }) => policyDetail(ctx.db, ctx.access.orgId, input.policyId)),

  /** Parses and validates Cedar text (or a form's text) against the schema; changes nothing. */
  validate: orgProcedure("dashboard:read")
    .input(validatePolicyInput)
    .query(({ input }) => validateSource(input.source)),

  create: orgProcedure("policies:write")
    .input(createPolicyInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createPolicy(tx, audit, ctx.access, input))),

  update: orgProcedure("policies:write")
    .input(updatePolicyInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updatePolicy(tx, audit, ctx.access, input))),

  enforce: orgProcedure("policies:write")
    .input(policyRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setPolicyStatus(tx, audit, ctx.access, input.policyId, "enforced"))),

  disable: orgProcedure("policies:write")
    .input(policyRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setPolicyStatus(tx, audit, ctx.access, input.policyId, "disabled"))),

  delete: orgProcedure("policies:write")
    .input(policyRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => deletePolicy(tx, audit, ctx.access.orgId, input.policyId))),

  /** The org's answer when no policy matches (deny unless set to allow): an org setting. */
  setDefault: orgProcedure("org:admin")
    .input(defaultDecisionInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => setDefaultDecision(tx, audit, ctx.access.orgId, input.decision))),

  /** What would this agent doing this get, and which policy decided: against the enforced set or a draft. */
  simulate: orgProcedure("dashboard:read")
    .input(simulatePolicyInput)
    .query(({ ctx, input }) => simulatePolicy(ctx.db, ctx.access, input)),

  /** Replays the last N recorded decisions against the enforced set and the draft; lists what would change. */
  impact: orgProcedure("dashboard:read")
    .input(policyImpactInput)
    .query(({ ctx, input }) => policyImpact(ctx.db, ctx.access, input)),
});

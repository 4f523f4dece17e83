// Agent permission policies: list, read with history, write (from the everyday-rule form or as
// Cedar text), validate, enforce / disable, delete, simulate, replay recent decisions against a
// draft, and the org's default when nothing matches. A text that does not parse or validate is
// refused with its line and message; the enforced set is then untouched. Every change is audited
// with the Cedar text before and after, kept as a PolicyVersion, and NOTIFYed after commit.
import { TRPCError } from "@trpc/server";
import type { AuthorizedOrg } from "../../auth/access";
import { agentsForPolicies, findPolicy, knownNames, listPolicies, orgSettings, policyVersions, recentDecisions } from "../../data/policies";
import type { Tx } from "../../db";
import { notifyChange } from "../../db/notify";
import { Prisma } from "../../generated/prisma/client";
import { reachIncludesTeam } from "../../domain/access/permissions";
import { microsToUsdString } from "../../domain/cost/money";
import { DRAFT_POLICY_ID, finalDecision, impactOf, type DraftChange } from "../../domain/policy/draft";
import { formToCedar, ruleFormSchema, whatSummary, whoSummary, type RuleForm } from "../../domain/policy/form";
import { unknownNames } from "../../domain/policy/names";
import { toCedarRequest, type AgentFacts, type PolicyRequest } from "../../domain/policy/request";
import {
  createPolicyInput,
  defaultDecisionInput,
  policyImpactInput,
  policyRef,
  simulatePolicyInput,
  updatePolicyInput,
  validatePolicyInput,
  type PolicyDraft,
  type PolicySource,
} from "../../domain/policy/schemas";
import { describeProblems } from "../../domain/policy/source";
import { ACTION_TYPES, type ActionType } from "../../domain/policy/vocabulary";
import { checkPolicyText, summarisePolicyText, type CompiledPolicySet } from "../../policy/cedar";
import { defaultDecisionOf, delegateFacts, draftPolicySet, enforcedPolicySet, evaluateAgainst, invalidatePolicies, orgDefaultDecision } from "../../policy/engine";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

/** The Cedar text of a source (the server writes it from the form itself), checked against the schema. */
function checkedSource(source: PolicySource): { cedar: string; form: RuleForm | null } {
  const cedar = source.kind === "form" ? formToCedar(source.form) : source.cedar;
  const checked = checkPolicyText(cedar);
  if (!checked.ok) throw new TRPCError({ code: "BAD_REQUEST", message: `The policy is not valid Cedar for this schema:\n${describeProblems(checked.errors)}` });
  return { cedar, form: source.kind === "form" ? source.form : null };
}

function draftOf(draft: PolicyDraft): DraftChange {
  if (draft.remove) return { policyId: draft.policyId ?? null, name: draft.name, cedar: "", remove: true };
  return { policyId: draft.policyId ?? null, name: draft.name || "Draft", cedar: checkedSource(draft.source).cedar };
}

function duplicateName(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new TRPCError({ code: "CONFLICT", message: "A policy with that name already exists in this organisation." });
  }
  throw error;
}

type PolicyRow = NonNullable<Awaited<ReturnType<typeof findPolicy>>>;
const snapshot = (policy: Pick<PolicyRow, "name" | "status" | "version" | "cedar">) => ({ name: policy.name, status: policy.status, version: policy.version, cedar: policy.cedar });

async function policyInOrg(tx: Tx, orgId: string, id: string): Promise<PolicyRow> {
  const policy = await findPolicy(tx, orgId, id);
  if (!policy) throw new TRPCError({ code: "NOT_FOUND", message: "No such policy." });
  return policy;
}

async function keepVersion(tx: Tx, policy: PolicyRow, createdBy: string): Promise<void> {
  await tx.policyVersion.create({
    data: { policyId: policy.id, version: policy.version, orgId: policy.orgId, cedar: policy.cedar, form: policy.form ?? Prisma.DbNull, status: policy.status, createdBy },
  });
}

/** Tells every process (on commit) and this one (now, after commit) that the enforced set changed. */
async function announce(tx: Tx, orgId: string): Promise<void> {
  await notifyChange(tx, { orgId, kind: "policy" });
}

// List summaries parse Cedar text; the same texts come back on every list, so remember them.
type Summary = NonNullable<ReturnType<typeof summarisePolicyText>> & { scopes: ReturnType<typeof scopesOf> };
const summaryCache = new Map<string, Summary>();
function scopesOf(cedar: string) {
  const checked = checkPolicyText(cedar);
  return checked.ok ? checked.statements.map((statement) => statement.scope) : [];
}
function summaryOf(cedar: string): Summary | null {
  const cached = summaryCache.get(cedar);
  if (cached) return cached;
  const base = summarisePolicyText(cedar);
  if (!base) return null;
  if (summaryCache.size > 2_000) summaryCache.clear();
  const summary = { ...base, scopes: scopesOf(cedar) };
  summaryCache.set(cedar, summary);
  return summary;
}

function agentFactsOf(agent: { name: string; team: { name: string } | null; tags: string[]; riskClass: string | null; tools: string[]; models: string[]; dataCategories: string[] }): AgentFacts {
  return { name: agent.name, teamName: agent.team?.name ?? null, tags: agent.tags, riskClass: agent.riskClass, tools: agent.tools, models: agent.models, dataCategories: agent.dataCategories };
}

async function simulationSet(orgId: string, draft: PolicyDraft | undefined): Promise<{ set: CompiledPolicySet; draftName: string | null }> {
  if (!draft) return { set: await enforcedPolicySet(orgId), draftName: null };
  const change = draftOf(draft);
  return { set: await draftPolicySet(orgId, change), draftName: change.name };
}

function canSeeTeam(access: AuthorizedOrg, teamId: string | null): boolean {
  return reachIncludesTeam(access.reach, teamId);
}

export const policiesRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const [policies, names, settings] = await Promise.all([listPolicies(ctx.db, ctx.access.orgId), knownNames(ctx.db, ctx.access.orgId), orgSettings(ctx.db, ctx.access.orgId)]);
    return {
      defaultDecision: defaultDecisionOf(settings),
      policies: policies.map((policy) => {
        const form = policy.form ? ruleFormSchema.safeParse(policy.form) : null;
        const summary = summaryOf(policy.cedar);
        return {
          id: policy.id,
          name: policy.name,
          description: policy.description,
          status: policy.status,
          version: policy.version,
          source: form?.success ? ("form" as const) : ("cedar" as const),
          who: form?.success ? whoSummary(form.data.who) : (summary?.who ?? "—"),
          what: form?.success ? whatSummary(form.data) : (summary?.what ?? "—"),
          effect: form?.success ? form.data.effect : (summary?.effect ?? "mixed"),
          valid: summary !== null,
          unknownNames: summary ? unknownNames(summary.scopes, names) : [],
          updatedAt: policy.updatedAt,
          updatedBy: policy.createdBy,
        };
      }),
    };
  }),

  get: orgProcedure("dashboard:read")
    .input(policyRef)
    .query(async ({ ctx, input }) => {
      const policy = await findPolicy(ctx.db, ctx.access.orgId, input.policyId);
      if (!policy) throw new TRPCError({ code: "NOT_FOUND", message: "No such policy." });
      const form = policy.form ? ruleFormSchema.safeParse(policy.form) : null;
      return {
        id: policy.id,
        name: policy.name,
        description: policy.description,
        status: policy.status,
        version: policy.version,
        cedar: policy.cedar,
        form: form?.success ? form.data : null,
        createdAt: policy.createdAt,
        updatedAt: policy.updatedAt,
        versions: await policyVersions(ctx.db, ctx.access.orgId, policy.id),
      };
    }),

  /** Parses and validates Cedar text (or a form's text) against the schema; changes nothing. */
  validate: orgProcedure("dashboard:read")
    .input(validatePolicyInput)
    .query(({ input }) => {
      const cedar = input.source.kind === "form" ? formToCedar(input.source.form) : input.source.cedar;
      const checked = checkPolicyText(cedar);
      return {
        cedar,
        ok: checked.ok,
        errors: checked.ok ? [] : checked.errors,
        warnings: checked.warnings,
        statements: checked.ok ? checked.statements.length : 0,
      };
    }),

  create: orgProcedure("policies:write")
    .input(createPolicyInput)
    .mutation(async ({ ctx, input }) => {
      const { cedar, form } = checkedSource(input.source);
      const created = await ctx
        .audited(async (tx, audit) => {
          const policy = await tx.policy.create({
            data: {
              orgId: ctx.access.orgId,
              name: input.name,
              description: input.description,
              cedar,
              form: form ?? Prisma.DbNull,
              status: input.enforce ? "enforced" : "draft",
              createdBy: ctx.access.membership.userEmail,
            },
          });
          await keepVersion(tx, policy, ctx.access.membership.userEmail);
          await audit({ action: "policy.created", targetType: "policy", targetId: policy.id, before: null, after: snapshot(policy) });
          if (policy.status === "enforced") await announce(tx, ctx.access.orgId);
          return { id: policy.id, name: policy.name, status: policy.status };
        })
        .catch(duplicateName);
      invalidatePolicies(ctx.access.orgId);
      return created;
    }),

  update: orgProcedure("policies:write")
    .input(updatePolicyInput)
    .mutation(async ({ ctx, input }) => {
      const { cedar, form } = checkedSource(input.source);
      const updated = await ctx
        .audited(async (tx, audit) => {
          const before = await policyInOrg(tx, ctx.access.orgId, input.policyId);
          const after = await tx.policy.update({
            where: { id: before.id },
            data: { name: input.name, description: input.description, cedar, form: form ?? Prisma.DbNull, version: before.version + 1, createdBy: ctx.access.membership.userEmail },
          });
          await keepVersion(tx, after, ctx.access.membership.userEmail);
          await audit({ action: "policy.updated", targetType: "policy", targetId: after.id, before: snapshot(before), after: snapshot(after) });
          if (after.status === "enforced") await announce(tx, ctx.access.orgId);
          return { id: after.id, version: after.version };
        })
        .catch(duplicateName);
      invalidatePolicies(ctx.access.orgId);
      return updated;
    }),

  enforce: orgProcedure("policies:write")
    .input(policyRef)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.audited(async (tx, audit) => {
        const before = await policyInOrg(tx, ctx.access.orgId, input.policyId);
        if (before.status === "enforced") throw new TRPCError({ code: "BAD_REQUEST", message: "This policy is already enforced." });
        // Enforced text must still validate (the schema may have moved on since it was saved).
        const checked = checkPolicyText(before.cedar);
        if (!checked.ok) throw new TRPCError({ code: "BAD_REQUEST", message: `The policy is not valid Cedar for this schema:\n${describeProblems(checked.errors)}` });
        const after = await tx.policy.update({ where: { id: before.id }, data: { status: "enforced", version: before.version + 1, createdBy: ctx.access.membership.userEmail } });
        await keepVersion(tx, after, ctx.access.membership.userEmail);
        await audit({ action: "policy.enforced", targetType: "policy", targetId: after.id, before: snapshot(before), after: snapshot(after) });
        await announce(tx, ctx.access.orgId);
        return { id: after.id, status: after.status };
      });
      invalidatePolicies(ctx.access.orgId);
      return result;
    }),

  disable: orgProcedure("policies:write")
    .input(policyRef)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.audited(async (tx, audit) => {
        const before = await policyInOrg(tx, ctx.access.orgId, input.policyId);
        if (before.status === "disabled") throw new TRPCError({ code: "BAD_REQUEST", message: "This policy is already disabled." });
        const after = await tx.policy.update({ where: { id: before.id }, data: { status: "disabled", version: before.version + 1, createdBy: ctx.access.membership.userEmail } });
        await keepVersion(tx, after, ctx.access.membership.userEmail);
        await audit({ action: "policy.disabled", targetType: "policy", targetId: after.id, before: snapshot(before), after: snapshot(after) });
        if (before.status === "enforced") await announce(tx, ctx.access.orgId);
        return { id: after.id, status: after.status };
      });
      invalidatePolicies(ctx.access.orgId);
      return result;
    }),

  delete: orgProcedure("policies:write")
    .input(policyRef)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.audited(async (tx, audit) => {
        const before = await policyInOrg(tx, ctx.access.orgId, input.policyId);
        await tx.policy.delete({ where: { id: before.id } });
        await audit({ action: "policy.deleted", targetType: "policy", targetId: before.id, before: snapshot(before), after: null });
        if (before.status === "enforced") await announce(tx, ctx.access.orgId);
        return { id: before.id };
      });
      invalidatePolicies(ctx.access.orgId);
      return result;
    }),

  /** The org's answer when no policy matches (deny unless set to allow): an org setting. */
  setDefault: orgProcedure("org:admin")
    .input(defaultDecisionInput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.audited(async (tx, audit) => {
        const settings = ((await orgSettings(tx, ctx.access.orgId)) ?? {}) as Record<string, unknown>;
        const before = defaultDecisionOf(settings);
        await tx.org.update({ where: { id: ctx.access.orgId }, data: { settings: { ...settings, policyDefault: input.decision } as Prisma.InputJsonValue } });
        await audit({ action: "policy.default_changed", targetType: "org", targetId: ctx.access.orgId, before: { defaultDecision: before }, after: { defaultDecision: input.decision } });
        await announce(tx, ctx.access.orgId);
        return { defaultDecision: input.decision };
      });
      invalidatePolicies(ctx.access.orgId);
      return result;
    }),

  /** What would this agent doing this get, and which policy decided: against the enforced set or a draft. */
  simulate: orgProcedure("dashboard:read")
    .input(simulatePolicyInput)
    .query(async ({ ctx, input }) => {
      const orgId = ctx.access.orgId;
      const agent = (await agentsForPolicies(ctx.db, orgId, [input.agentId])).get(input.agentId);
      if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
      assertTeamInReach(ctx.access, agent.teamId);
      const now = new Date();
      if (input.hour !== null) now.setUTCHours(input.hour, 30, 0, 0);
      const request: PolicyRequest = {
        agent: { id: agent.id, name: agent.name, teamId: agent.teamId, teamName: agent.team?.name ?? null, tags: agent.tags, riskClass: agent.riskClass, tools: agent.tools, models: agent.models, dataCategories: agent.dataCategories },
        action: { type: input.action.type, name: input.action.name, arguments: input.action.arguments },
        dataClasses: input.dataClasses,
        estimatedCostUsd: input.estimatedCostUsd,
        now,
      };
      const [{ set, draftName }, defaultDecision] = await Promise.all([simulationSet(orgId, input.draft), orgDefaultDecision(orgId)]);
      const outcome = await evaluateAgainst(set, orgId, request);
      const principal = agentFactsOf(agent);
      const target = input.action.type === "delegate" ? await delegateFacts(orgId, input.action.name) : null;
      const weighed = set.applicable(toCedarRequest(request, principal, target), principal.teamName);
      const names = new Map(set.statements.map((statement) => [statement.policyId, statement.policyName]));
      return {
        against: input.draft ? ("draft" as const) : ("enforced" as const),
        effect: outcome.effect,
        decision: finalDecision(outcome.effect, defaultDecision),
        defaultDecision,
        reasons: outcome.reasons,
        policies: outcome.policyIds.map((id) => ({ id, name: id === DRAFT_POLICY_ID ? (draftName ?? "Draft") : (names.get(id) ?? id), isDraft: id === DRAFT_POLICY_ID || id === input.draft?.policyId })),
        weighedStatements: weighed.length,
        totalStatements: set.statements.length,
        hourUtc: now.getUTCHours(),
      };
    }),

  /** Replays the last N recorded decisions against the enforced set and the draft; lists what would change. */
  impact: orgProcedure("dashboard:read")
    .input(policyImpactInput)
    .query(async ({ ctx, input }) => {
      const orgId = ctx.access.orgId;
      const change = draftOf(input.draft);
      const [records, current, draft, defaultDecision] = await Promise.all([
        recentDecisions(ctx.db, orgId, input.limit),
        enforcedPolicySet(orgId),
        draftPolicySet(orgId, change),
        orgDefaultDecision(orgId),
      ]);
      const agents = await agentsForPolicies(ctx.db, orgId, [...new Set(records.map((record) => record.agentId))]);
      const delegates = new Map<string, AgentFacts>();
      const rows = [];
      let skipped = 0;
      for (const record of records) {
        const agent = agents.get(record.agentId);
        // Team leads see only their own teams' decisions; agents since deleted cannot be replayed.
        if (!agent || !canSeeTeam(ctx.access, agent.teamId) || !(ACTION_TYPES as readonly string[]).includes(record.actionType)) {
          skipped += 1;
          continue;
        }
        const facts = agentFactsOf(agent);
        let target: AgentFacts | null = null;
        if (record.actionType === "delegate") {
          target = delegates.get(record.actionName) ?? (await delegateFacts(orgId, record.actionName));
          delegates.set(record.actionName, target);
        }
        const args = record.arguments && typeof record.arguments === "object" && !Array.isArray(record.arguments) ? (record.arguments as Record<string, unknown>) : {};
        const request = toCedarRequest(
          {
            agent: { id: agent.id, name: agent.name, teamId: agent.teamId, teamName: facts.teamName, tags: agent.tags, riskClass: agent.riskClass },
            action: { type: record.actionType as ActionType, name: record.actionName, arguments: args },
            dataClasses: record.dataClasses,
            estimatedCostUsd: record.estimatedCostMicros === null ? null : microsToUsdString(record.estimatedCostMicros),
            now: record.at,
          },
          facts,
          target,
        );
        const now = current.evaluate(request, facts.teamName);
        const next = draft.evaluate(request, facts.teamName);
        rows.push({
          record: { decisionId: record.id, at: record.at, agentName: agent.name, actionType: record.actionType, actionName: record.actionName, recorded: record.decision, draftReasons: next.reasons },
          now: finalDecision(now.effect, defaultDecision),
          draft: finalDecision(next.effect, defaultDecision),
        });
      }
      const { changed, counts } = impactOf(rows);
      return {
        replayed: rows.length,
        skipped,
        counts,
        changed: changed.slice(0, 200).map((row) => ({ ...row.record, now: row.now, draft: row.draft })),
        changedTotal: changed.length,
      };
    }),
});

// Agent versions in the console: list, compare (diff and A/B), the agent's timeline, and the
// lifecycle changes (create, edit a draft, release, deprecate, retire, make stable). Owners, admins
// and the agent's team leads change them (agents:write, team-scoped); every reader reads.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { AuthorizedOrg } from "../../auth/access";
import { listReleaseEvents } from "../../data/release-ledger";
import { armMetrics } from "../../data/rollout-metrics";
import { listRollouts } from "../../data/rollouts";
import {
  createVersion,
  deprecateVersion,
  findAgentRef,
  LifecycleRefusal,
  listVersions,
  makeStable,
  releaseVersion,
  retireVersion,
  updateDraft,
} from "../../data/versions";
import type { DbOrTx } from "../../db";
import { compareArms } from "../../domain/rollout/ab";
import { compareSchema, createVersionSchema, updateVersionSchema, versionActionSchema } from "../../domain/rollout/schemas";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

const agentInput = z.object({ agentId: z.string().uuid() });

/** A refusal keeps its message (shown in the form); anything else is rethrown as is. */
export function lifecycleError(error: unknown): never {
  if (error instanceof LifecycleRefusal) throw new TRPCError({ code: error.code, message: error.message });
  throw error;
}

async function agentInReach(db: DbOrTx, access: AuthorizedOrg, agentId: string) {
  const agent = await findAgentRef(db, access.orgId, agentId);
  if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
  assertTeamInReach(access, agent.teamId);
  return agent;
}

function actorOf(access: AuthorizedOrg) {
  return { type: "user" as const, label: access.membership.userEmail };
}

export const versionsRouter = createTRPCRouter({
  /** The agent's versions (newest first) and its running rollout, if any. */
  list: orgProcedure("dashboard:read")
    .input(agentInput)
    .query(async ({ ctx, input }) => {
      const agent = await agentInReach(ctx.db, ctx.access, input.agentId);
      const [versions, rollouts] = await Promise.all([listVersions(ctx.db, ctx.access.orgId, agent.id), listRollouts(ctx.db, ctx.access.orgId, ctx.access.reach, { agentId: agent.id, limit: 1 })]);
      return { agent, versions, activeRollout: rollouts.active[0] ?? null };
    }),

  /** The release ledger of the agent: its timeline. */
  timeline: orgProcedure("dashboard:read")
    .input(agentInput)
    .query(async ({ ctx, input }) => {
      const agent = await agentInReach(ctx.db, ctx.access, input.agentId);
      return listReleaseEvents(ctx.db, ctx.access.orgId, agent.id);
    }),

  /** A/B comparison of two versions over the same window, each difference with its test and interval. */
  compare: orgProcedure("dashboard:read")
    .input(compareSchema)
    .query(async ({ ctx, input }) => {
      const agent = await agentInReach(ctx.db, ctx.access, input.agentId);
      const versions = await listVersions(ctx.db, ctx.access.orgId, agent.id);
      const a = versions.find((version) => version.id === input.aId);
      const b = versions.find((version) => version.id === input.bId);
      if (!a || !b) throw new TRPCError({ code: "NOT_FOUND", message: "Both versions must belong to this agent." });
      if (a.id === b.id) throw new TRPCError({ code: "BAD_REQUEST", message: "Pick two different versions to compare." });
      const to = new Date();
      const from = new Date(to.getTime() - input.days * 24 * 60 * 60 * 1000);
      const arms = await armMetrics(ctx.db, { orgId: ctx.access.orgId, agentId: agent.id, from, to, a, b });
      return { from, to, ...compareArms(a.label, arms.a, b.label, arms.b) };
    }),

  create: orgProcedure("agents:write")
    .input(createVersionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const { orgId: _orgId, agentId, ...fields } = input;
          const agent = await agentInReach(tx, ctx.access, agentId);
          const version = await createVersion(tx, { orgId: ctx.access.orgId, agent, fields, actor: actorOf(ctx.access), audit });
          return { id: version.id, label: version.label };
        })
        .catch(lifecycleError),
    ),

  /** Edits a draft; a released version is immutable. */
  update: orgProcedure("agents:write")
    .input(updateVersionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const version = await updateDraft(tx, {
            orgId: ctx.access.orgId,
            versionId: input.versionId,
            fields: input.fields,
            actor: actorOf(ctx.access),
            audit,
            authorize: (agent) => assertTeamInReach(ctx.access, agent.teamId),
          });
          return { id: version.id, label: version.label };
        })
        .catch(lifecycleError),
    ),

  release: orgProcedure("agents:write")
    .input(versionActionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const version = await releaseVersion(tx, { orgId: ctx.access.orgId, versionId: input.versionId, reason: input.reason, actor: actorOf(ctx.access), audit, authorize: (agent) => assertTeamInReach(ctx.access, agent.teamId) });
          return { id: version.id, status: version.status, becameStable: version.becameStable };
        })
        .catch(lifecycleError),
    ),

  deprecate: orgProcedure("agents:write")
    .input(versionActionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const version = await deprecateVersion(tx, { orgId: ctx.access.orgId, versionId: input.versionId, reason: input.reason, actor: actorOf(ctx.access), audit, authorize: (agent) => assertTeamInReach(ctx.access, agent.teamId) });
          return { id: version.id, status: version.status };
        })
        .catch(lifecycleError),
    ),

  retire: orgProcedure("agents:write")
    .input(versionActionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const version = await retireVersion(tx, { orgId: ctx.access.orgId, versionId: input.versionId, reason: input.reason, actor: actorOf(ctx.access), audit, authorize: (agent) => assertTeamInReach(ctx.access, agent.teamId) });
          return { id: version.id, status: version.status };
        })
        .catch(lifecycleError),
    ),

  /** Makes an earlier version stable again (a revert, from the ledger). */
  makeStable: orgProcedure("agents:write")
    .input(versionActionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const version = await makeStable(tx, { orgId: ctx.access.orgId, versionId: input.versionId, reason: input.reason, actor: actorOf(ctx.access), audit, authorize: (agent) => assertTeamInReach(ctx.access, agent.teamId) });
          return { id: version.id, status: version.status };
        })
        .catch(lifecycleError),
    ),
});

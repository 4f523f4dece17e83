import { TRPCError } from "@trpc/server";
import { agentDetail, agentSnapshot, findAgent, listAgents } from "../../data/agents";
import { unknownTeamIds } from "../../data/members";
import { fetchAgentCard } from "../../data/agent-card-fetch";
import { Prisma } from "../../generated/prisma/client";
import { agentCardSchema, fieldsFromCard } from "../../domain/agents/a2a-card";
import { agentListInput, agentRef, archiveAgentInput, createAgentInput, parseCardInput, updateAgentInput } from "../../domain/agents/schemas";
import type { AuthorizedOrg } from "../../auth/access";
import type { Tx } from "../../db";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

function duplicateName(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new TRPCError({ code: "CONFLICT", message: "An agent with that name already exists in this organisation." });
  }
  throw error;
}

async function assertTeam(tx: Tx, access: AuthorizedOrg, teamId: string | null) {
  // Team leads may only place agents in their own teams (and never leave them team-less).
  assertTeamInReach(access, teamId);
  if (teamId && (await unknownTeamIds(tx, access.orgId, [teamId])).length > 0) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "That team does not exist in this organisation." });
  }
}

/** The agent, if it exists in this org and the caller's reach covers its team; otherwise NOT_FOUND / FORBIDDEN. */
async function agentInReach(tx: Tx, access: AuthorizedOrg, id: string) {
  const agent = await findAgent(tx, access.orgId, id);
  if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
  assertTeamInReach(access, agent.teamId);
  return agent;
}

export const agentsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(agentListInput)
    .query(({ ctx, input }) => {
      const { orgId: _orgId, ...filter } = input;
      if (filter.teamId) assertTeamInReach(ctx.access, filter.teamId);
      return listAgents(ctx.db, ctx.access.orgId, ctx.access.reach, filter);
    }),

  get: orgProcedure("dashboard:read")
    .input(agentRef)
    .query(async ({ ctx, input }) => {
      const agent = await agentDetail(ctx.db, ctx.access.orgId, input.agentId);
      if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
      assertTeamInReach(ctx.access, agent.teamId);
      return agent;
    }),

  create: orgProcedure("agents:write")
    .input(createAgentInput)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const { orgId: _orgId, card, ...fields } = input;
          await assertTeam(tx, ctx.access, fields.teamId);
          // An imported A2A card's provider and skills stay on the record (shown on the agent's page).
          const agent = await tx.agent.create({ data: { ...fields, ...(card ? { card } : {}), orgId: ctx.access.orgId, status: "active" } });
          await audit({ action: "agent.created", targetType: "agent", targetId: agent.id, teamId: agent.teamId, after: agentSnapshot(agent) });
          return { id: agent.id, name: agent.name };
        })
        .catch(duplicateName),
    ),

  /** Edits an agent; a discovered agent becomes registered (active) when someone completes its record. */
  update: orgProcedure("agents:write")
    .input(updateAgentInput)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const before = await agentInReach(tx, ctx.access, input.agentId);
          if (before.status === "archived") throw new TRPCError({ code: "BAD_REQUEST", message: "This agent is archived; restore it first." });
          await assertTeam(tx, ctx.access, input.fields.teamId);
          const after = await tx.agent.update({ where: { id: before.id }, data: { ...input.fields, status: "active" } });
          await audit({
            action: before.status === "discovered" ? "agent.registered" : "agent.updated",
            targetType: "agent",
            targetId: after.id,
            teamId: after.teamId,
            before: agentSnapshot(before),
            after: agentSnapshot(after),
          });
          return { id: after.id, name: after.name };
        })
        .catch(duplicateName),
    ),

  archive: orgProcedure("agents:write")
    .input(archiveAgentInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const before = await agentInReach(tx, ctx.access, input.agentId);
        if (before.status === "archived") throw new TRPCError({ code: "BAD_REQUEST", message: "This agent is already archived." });
        // Archiving revokes its keys: an archived agent must not keep reporting in as itself.
        const revoked = await tx.apiKey.updateMany({ where: { orgId: ctx.access.orgId, agentId: before.id, revokedAt: null }, data: { revokedAt: new Date() } });
        const after = await tx.agent.update({ where: { id: before.id }, data: { status: "archived" } });
        await audit({
          action: "agent.archived",
          targetType: "agent",
          targetId: after.id,
          teamId: after.teamId,
          before: { status: before.status },
          after: { status: after.status, keysRevoked: revoked.count },
          reason: input.reason ?? null,
        });
        return { id: after.id, keysRevoked: revoked.count };
      }),
    ),

  restore: orgProcedure("agents:write")
    .input(agentRef)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const before = await agentInReach(tx, ctx.access, input.agentId);
        if (before.status !== "archived") throw new TRPCError({ code: "BAD_REQUEST", message: "This agent is not archived." });
        const after = await tx.agent.update({ where: { id: before.id }, data: { status: "active" } });
        await audit({ action: "agent.restored", targetType: "agent", targetId: after.id, teamId: after.teamId, before: { status: "archived" }, after: { status: "active" } });
        return { id: after.id };
      }),
    ),

  /**
   * Reads an A2A Agent Card (pasted JSON, or fetched from the agent's URL) into registry fields
   * for the form to show; nothing is stored until the person saves.
   */
  parseCard: orgProcedure("agents:write")
    .input(parseCardInput)
    .mutation(async ({ input }) => {
      let raw: unknown;
      if ("json" in input) {
        try {
          raw = JSON.parse(input.json);
        } catch {
          throw new TRPCError({ code: "BAD_REQUEST", message: "That is not valid JSON." });
        }
      } else {
        raw = await fetchAgentCard(input.url);
      }
      const card = agentCardSchema.safeParse(raw);
      if (!card.success) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `Not an A2A Agent Card: ${card.error.issues.map((issue) => `${issue.path.join(".") || "card"}: ${issue.message}`).join("; ")}`,
        });
      }
      return fieldsFromCard(card.data);
    }),
});

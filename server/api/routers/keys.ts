import { TRPCError } from "@trpc/server";
import { findAgent, listKeys } from "../../data/agents";
import { can } from "../../domain/access/permissions";
import { generateApiKey } from "../../domain/keys/api-key";
import { agentKeysInput, createAgentKeyInput, createIngestKeyInput, revokeKeyInput } from "../../domain/keys/schemas";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

export const keysRouter = createTRPCRouter({
  /** An agent's keys (prefixes and usage only; the secrets are never stored). */
  forAgent: orgProcedure("agents:write")
    .input(agentKeysInput)
    .query(async ({ ctx, input }) => {
      const agent = await findAgent(ctx.db, ctx.access.orgId, input.agentId);
      if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
      assertTeamInReach(ctx.access, agent.teamId);
      return listKeys(ctx.db, ctx.access.orgId, { agentId: agent.id });
    }),

  /** The org's ingest keys, which speak for any agent (events name their agent). */
  ingest: orgProcedure("org:admin").query(({ ctx }) => listKeys(ctx.db, ctx.access.orgId, { kind: "ingest" })),

  createAgentKey: orgProcedure("agents:write")
    .input(createAgentKeyInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const agent = await findAgent(tx, ctx.access.orgId, input.agentId);
        if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
        assertTeamInReach(ctx.access, agent.teamId);
        if (agent.status === "archived") throw new TRPCError({ code: "BAD_REQUEST", message: "This agent is archived; restore it before giving it a key." });
        const secret = generateApiKey();
        const key = await tx.apiKey.create({
          data: { orgId: ctx.access.orgId, kind: "agent", agentId: agent.id, name: input.name, prefix: secret.prefix, hash: secret.hash, createdBy: ctx.access.membership.userEmail },
        });
        await audit({ action: "key.created", targetType: "api_key", targetId: key.id, teamId: agent.teamId, after: { kind: "agent", agent: agent.name, name: key.name, prefix: key.prefix } });
        // The only time the key exists outside its owner's hands.
        return { id: key.id, prefix: key.prefix, key: secret.key };
      }),
    ),

  createIngestKey: orgProcedure("org:admin")
    .input(createIngestKeyInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const secret = generateApiKey();
        const key = await tx.apiKey.create({
          data: { orgId: ctx.access.orgId, kind: "ingest", name: input.name, prefix: secret.prefix, hash: secret.hash, createdBy: ctx.access.membership.userEmail },
        });
        await audit({ action: "key.created", targetType: "api_key", targetId: key.id, after: { kind: "ingest", name: key.name, prefix: key.prefix } });
        return { id: key.id, prefix: key.prefix, key: secret.key };
      }),
    ),

  /** Revoked at once: the next request with the key is refused. */
  revoke: orgProcedure("agents:write")
    .input(revokeKeyInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const key = await tx.apiKey.findFirst({ where: { orgId: ctx.access.orgId, id: input.keyId }, include: { agent: { select: { teamId: true, name: true } } } });
        if (!key) throw new TRPCError({ code: "NOT_FOUND", message: "No such key." });
        if (key.kind === "ingest" && !can(ctx.access.membership.role, "org:admin")) {
          throw new TRPCError({ code: "FORBIDDEN", message: "Only admins manage org ingest keys." });
        }
        const teamId = key.agent?.teamId ?? null;
        if (key.kind === "agent") assertTeamInReach(ctx.access, teamId);
        if (key.revokedAt) throw new TRPCError({ code: "BAD_REQUEST", message: "This key is already revoked." });
        await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
        await audit({
          action: "key.revoked",
          targetType: "api_key",
          targetId: key.id,
          teamId,
          before: { kind: key.kind, name: key.name, prefix: key.prefix, agent: key.agent?.name ?? null },
          after: { revoked: true },
        });
        return { id: key.id };
      }),
    ),
});

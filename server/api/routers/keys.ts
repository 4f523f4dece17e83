import { z } from "zod";
import { createAgentKey, createIngestKey, listAgentKeys, listIngestKeys, revokeKey } from "../../data/api-keys";
import { createTRPCRouter, orgProcedure } from "../trpc";

const keyName = z.string().trim().min(1, "Name the key (where it is used)").max(100);

export const keysRouter = createTRPCRouter({
  /** An agent's keys (prefixes and usage only; the secrets are never stored). */
  forAgent: orgProcedure("agents:write")
    .input(z.object({ agentId: z.string().uuid() }))
    .query(({ ctx, input }) => listAgentKeys(ctx.db, ctx.access, input.agentId)),

  /** The org's ingest keys, which speak for any agent (events name their agent). */
  ingest: orgProcedure("org:admin").query(({ ctx }) => listIngestKeys(ctx.db, ctx.access.orgId)),

  createAgentKey: orgProcedure("agents:write")
    .input(z.object({ agentId: z.string().uuid(), name: keyName }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createAgentKey(tx, audit, ctx.access, input.agentId, input.name))),

  createIngestKey: orgProcedure("org:admin")
    .input(z.object({ name: keyName }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createIngestKey(tx, audit, ctx.access, input.name))),

  /** Revoked at once: the next request with the key is refused. */
  revoke: orgProcedure("agents:write")
    .input(z.object({ keyId: z.string().uuid() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => revokeKey(tx, audit, ctx.access, input.keyId))),
});

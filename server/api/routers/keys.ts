import { createAgentKey, createIngestKey, listAgentKeys, listIngestKeys, revokeKey } from "../../data/api-keys";
import { agentKeysInput, createAgentKeyInput, createIngestKeyInput, revokeKeyInput } from "../../domain/keys/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const keysRouter = createTRPCRouter({
  /** An agent's keys (prefixes and usage only; the secrets are never stored). */
  forAgent: orgProcedure("agents:write")
    .input(agentKeysInput)
    .query(({ ctx, input }) => listAgentKeys(ctx.db, ctx.access, input.agentId)),

  /** The org's ingest keys, which speak for any agent (events name their agent). */
  ingest: orgProcedure("org:admin").query(({ ctx }) => listIngestKeys(ctx.db, ctx.access.orgId)),

  createAgentKey: orgProcedure("agents:write")
    .input(createAgentKeyInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createAgentKey(tx, audit, ctx.access, input.agentId, input.name))),

  createIngestKey: orgProcedure("org:admin")
    .input(createIngestKeyInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createIngestKey(tx, audit, ctx.access, input.name))),

  /** Revoked at once: the next request with the key is refused. */
  revoke: orgProcedure("agents:write")
    .input(revokeKeyInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => revokeKey(tx, audit, ctx.access, input.keyId))),
});

import { z } from "zod";
import { archiveAgent, createAgent, restoreAgent, updateAgent } from "../../data/agent-registration";
import { readAgentCard } from "../../data/agent-card-import";
import { agentDetail, listAgents } from "../../data/agents";
import { agentCardSchema } from "../../domain/agents/a2a-card";
import { agentFieldsSchema } from "../../domain/agents/agent-fields";
import { createTRPCRouter, orgProcedure } from "../trpc";

const agentId = z.object({ agentId: z.string().uuid() });

/** What parseCard returned as `card`, sent back with create when the agent was imported from its card. */
const importedCard = z.object({
  url: z.string().max(2000).nullable(),
  provider: agentCardSchema.shape.provider.unwrap().nullish(),
  skills: agentCardSchema.shape.skills.unwrap(),
});

export const agentsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(
      z.object({
        search: z.string().trim().max(100).optional(),
        teamId: z.string().uuid().optional(),
        status: z.enum(["active", "discovered", "archived"]).optional(),
        framework: z.string().trim().max(60).optional(),
        includeArchived: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input: { orgId: _orgId, ...filter } }) => listAgents(ctx.db, ctx.access, filter)),

  get: orgProcedure("dashboard:read")
    .input(agentId)
    .query(({ ctx, input }) => agentDetail(ctx.db, ctx.access, input.agentId)),

  create: orgProcedure("agents:write")
    .input(agentFieldsSchema.extend({ card: importedCard.optional() }))
    .mutation(({ ctx, input: { orgId: _orgId, card, ...fields } }) => ctx.audited((tx, audit) => createAgent(tx, audit, ctx.access, fields, card))),

  /** Edits an agent; a discovered agent becomes registered (active) when someone completes its record. */
  update: orgProcedure("agents:write")
    .input(agentId.extend({ fields: agentFieldsSchema }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updateAgent(tx, audit, ctx.access, input.agentId, input.fields))),

  archive: orgProcedure("agents:write")
    .input(agentId.extend({ reason: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => archiveAgent(tx, audit, ctx.access, input.agentId, input.reason ?? null))),

  restore: orgProcedure("agents:write")
    .input(agentId)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => restoreAgent(tx, audit, ctx.access, input.agentId))),

  /**
   * Reads an A2A Agent Card (pasted JSON, or fetched from the agent's URL) into registry fields
   * for the form to show; nothing is stored until the person saves.
   */
  parseCard: orgProcedure("agents:write")
    .input(z.union([z.object({ json: z.string().min(2).max(256 * 1024) }), z.object({ url: z.string().url().max(2000) })]))
    .mutation(({ input }) => readAgentCard(input)),
});

import { archiveAgent, createAgent, restoreAgent, updateAgent } from "../../data/agent-registration";
import { readAgentCard } from "../../data/agent-card-import";
import { agentDetail, listAgents } from "../../data/agents";
import { agentListInput, agentRef, archiveAgentInput, createAgentInput, parseCardInput, updateAgentInput } from "../../domain/agents/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const agentsRouter = createTRPCRouter({
  list: orgProcedure("dashboard:read")
    .input(agentListInput)
    .query(({ ctx, input: { orgId: _orgId, ...filter } }) => listAgents(ctx.db, ctx.access, filter)),

  get: orgProcedure("dashboard:read")
    .input(agentRef)
    .query(({ ctx, input }) => agentDetail(ctx.db, ctx.access, input.agentId)),

  create: orgProcedure("agents:write")
    .input(createAgentInput)
    .mutation(({ ctx, input: { orgId: _orgId, card, ...fields } }) => ctx.audited((tx, audit) => createAgent(tx, audit, ctx.access, fields, card))),

  /** Edits an agent; a discovered agent becomes registered (active) when someone completes its record. */
  update: orgProcedure("agents:write")
    .input(updateAgentInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updateAgent(tx, audit, ctx.access, input.agentId, input.fields))),

  archive: orgProcedure("agents:write")
    .input(archiveAgentInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => archiveAgent(tx, audit, ctx.access, input.agentId, input.reason ?? null))),

  restore: orgProcedure("agents:write")
    .input(agentRef)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => restoreAgent(tx, audit, ctx.access, input.agentId))),

  /**
   * Reads an A2A Agent Card (pasted JSON, or fetched from the agent's URL) into registry fields
   * for the form to show; nothing is stored until the person saves.
   */
  parseCard: orgProcedure("agents:write")
    .input(parseCardInput)
    .mutation(({ input }) => readAgentCard(input)),
});

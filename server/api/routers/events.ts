import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { EVENT_TYPES } from "../../agent-api/schemas";
import { findAgent } from "../../data/agents";
import { eventFacets, findEvent, listEvents } from "../../data/events";
import { decodeEventCursor } from "../../domain/telemetry/event-cursor";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

export const eventFilterInput = z.object({
  agentId: z.string().uuid().optional(),
  type: z.enum(EVENT_TYPES).optional(),
  model: z.string().trim().min(1).max(200).optional(),
  taskId: z.string().trim().min(1).max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const eventsRouter = createTRPCRouter({
  /** Stored events, newest first, a page at a time; team leads see their teams' agents' events. */
  list: orgProcedure("dashboard:read")
    .input(eventFilterInput.extend({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(64).nullish() }))
    .query(async ({ ctx, input }) => {
      const { orgId: _orgId, limit, cursor, ...filter } = input;
      if (filter.agentId) {
        // Asking for another team's agent by id is refused outright, as agents.get does.
        const agent = await findAgent(ctx.db, ctx.access.orgId, filter.agentId);
        if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
        assertTeamInReach(ctx.access, agent.teamId);
      }
      const after = cursor ? decodeEventCursor(cursor) : null;
      if (cursor && !after) throw new TRPCError({ code: "BAD_REQUEST", message: "That page cursor is not valid; reload the list." });
      return listEvents(ctx.db, ctx.access.orgId, ctx.access.reach, filter, { limit, ...(after ? { after } : {}) });
    }),

  /** One event with its redacted attributes. Outside the caller's reach it does not exist. */
  get: orgProcedure("dashboard:read")
    .input(z.object({ id: z.string().regex(/^\d{1,19}$/, "An event id is a number") }))
    .query(async ({ ctx, input }) => {
      const event = await findEvent(ctx.db, ctx.access.orgId, ctx.access.reach, BigInt(input.id));
      if (!event) throw new TRPCError({ code: "NOT_FOUND", message: "No such event." });
      return event;
    }),

  /** Values for the filter dropdowns. */
  facets: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const { models } = await eventFacets(ctx.db, ctx.access.orgId, ctx.access.reach);
    return { models, types: [...EVENT_TYPES] };
  }),
});

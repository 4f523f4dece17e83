import { z } from "zod";
import { eventFacets, findEvent, listEvents } from "../../data/events";
import { EVENT_TYPES } from "../../domain/telemetry/events";
import { createTRPCRouter, orgProcedure } from "../trpc";

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
    .query(({ ctx, input: { orgId: _orgId, limit, cursor, ...filter } }) => listEvents(ctx.db, ctx.access, filter, { limit, cursor })),

  /** One event with its redacted attributes. Outside the caller's reach it does not exist. */
  get: orgProcedure("dashboard:read")
    .input(z.object({ id: z.string().regex(/^\d{1,19}$/, "An event id is a number") }))
    .query(({ ctx, input }) => findEvent(ctx.db, ctx.access.orgId, ctx.access.reach, BigInt(input.id))),

  /** Values for the filter dropdowns. */
  facets: orgProcedure("dashboard:read").query(({ ctx }) => eventFacets(ctx.db, ctx.access.orgId, ctx.access.reach)),
});

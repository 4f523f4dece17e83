import { z } from "zod";
import { distinctAuditActions, listAuditEntries, verifyOrgChain } from "../../data/audit-query";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

export const auditFilterInput = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(320).optional(),
  targetType: z.string().trim().max(60).optional(),
  teamId: z.string().uuid().optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const auditRouter = createTRPCRouter({
  list: orgProcedure("audit:read")
    .input(auditFilterInput.extend({ limit: z.number().int().min(1).max(200).default(50), cursor: z.number().int().positive().nullish() }))
    .query(async ({ ctx, input }) => {
      if (input.teamId) assertTeamInReach(ctx.access, input.teamId);
      const { limit, cursor, orgId: _orgId, ...filter } = input;
      return listAuditEntries(ctx.db, ctx.access.orgId, ctx.access.reach, filter, { limit, beforeSeq: cursor ?? undefined });
    }),

  actions: orgProcedure("audit:read").query(({ ctx }) => distinctAuditActions(ctx.db, ctx.access.orgId, ctx.access.reach)),

  /** Recomputes every hash of the org's chain. The answer says only whether it holds and where it breaks. */
  verify: orgProcedure("audit:read").query(async ({ ctx }) => {
    const result = await verifyOrgChain(ctx.db, ctx.access.orgId);
    return { ...result, checkedAt: new Date() };
  }),
});

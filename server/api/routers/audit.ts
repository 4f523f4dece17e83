import { z } from "zod";
import { checkOrgChain, distinctAuditActions, listAuditEntries } from "../../data/audit-query";
import { createTRPCRouter, orgProcedure } from "../trpc";

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
    .query(({ ctx, input: { limit, cursor, orgId: _orgId, ...filter } }) => listAuditEntries(ctx.db, ctx.access, filter, { limit, beforeSeq: cursor ?? undefined })),

  actions: orgProcedure("audit:read").query(({ ctx }) => distinctAuditActions(ctx.db, ctx.access.orgId, ctx.access.reach)),

  /** Recomputes every hash of the org's chain. The answer says only whether it holds and where it breaks. */
  verify: orgProcedure("audit:read").query(({ ctx }) => checkOrgChain(ctx.db, ctx.access.orgId)),
});

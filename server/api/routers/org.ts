import { orgSummary, orgsOfUser, renameOrg } from "../../data/orgs";
import { permissionsOf } from "../../domain/access/permissions";
import { orgNameInput } from "../../domain/org/schemas";
import { createTRPCRouter, orgProcedure, protectedProcedure } from "../trpc";

export const orgRouter = createTRPCRouter({
  /** The organisations the caller belongs to. */
  mine: protectedProcedure.query(({ ctx }) => orgsOfUser(ctx.db, ctx.userId)),

  /** What the caller may do here: the UI offers only these actions (the server checks again). */
  access: orgProcedure("dashboard:read").query(({ ctx }) => ({
    role: ctx.access.membership.role,
    permissions: permissionsOf(ctx.access.membership.role),
    teamIds: ctx.access.membership.teamIds,
  })),

  get: orgProcedure("dashboard:read").query(({ ctx }) => orgSummary(ctx.db, ctx.access.orgId)),

  update: orgProcedure("org:admin")
    .input(orgNameInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => renameOrg(tx, audit, ctx.access.orgId, input.name))),
});

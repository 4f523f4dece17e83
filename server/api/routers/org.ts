import { TRPCError } from "@trpc/server";
import { permissionsOf } from "../../domain/access/permissions";
import { orgNameInput } from "../../domain/org/schemas";
import { createTRPCRouter, orgProcedure, protectedProcedure } from "../trpc";

export const orgRouter = createTRPCRouter({
  /** The organisations the caller belongs to. */
  mine: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.membership.findMany({
      where: { userId: ctx.userId },
      include: { org: { select: { id: true, slug: true, name: true } } },
      orderBy: { org: { name: "asc" } },
    });
    return rows.map((row) => ({ ...row.org, role: row.role }));
  }),

  /** What the caller may do here: the UI offers only these actions (the server checks again). */
  access: orgProcedure("dashboard:read").query(({ ctx }) => ({
    role: ctx.access.membership.role,
    permissions: permissionsOf(ctx.access.membership.role),
    teamIds: ctx.access.membership.teamIds,
  })),

  get: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const org = await ctx.db.org.findUnique({ where: { id: ctx.access.orgId } });
    if (!org) throw new TRPCError({ code: "NOT_FOUND" });
    const [teams, members] = await Promise.all([
      ctx.db.team.count({ where: { orgId: org.id } }),
      ctx.db.membership.count({ where: { orgId: org.id } }),
    ]);
    return { id: org.id, slug: org.slug, name: org.name, createdAt: org.createdAt, teamCount: teams, memberCount: members };
  }),

  update: orgProcedure("org:admin")
    .input(orgNameInput)
    .mutation(({ ctx, input }) =>
      ctx.audited(async (tx, audit) => {
        const before = await tx.org.findUniqueOrThrow({ where: { id: ctx.access.orgId }, select: { name: true } });
        await tx.org.update({ where: { id: ctx.access.orgId }, data: { name: input.name } });
        await audit({ action: "org.updated", targetType: "org", targetId: ctx.access.orgId, before, after: { name: input.name } });
        return { name: input.name };
      }),
    ),
});

import { TRPCError } from "@trpc/server";
import { listTeams } from "../../data/members";
import { Prisma } from "../../generated/prisma/client";
import { renameTeamInput, teamNameInput } from "../../domain/org/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

function duplicateName(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new TRPCError({ code: "CONFLICT", message: "A team with that name already exists." });
  }
  throw error;
}

export const teamsRouter = createTRPCRouter({
  /** Team leads see their own teams; everyone else sees all. */
  list: orgProcedure("dashboard:read").query(async ({ ctx }) => {
    const reach = ctx.access.reach;
    const teams = await listTeams(ctx.db, ctx.access.orgId, reach.kind === "teams" ? reach.teamIds : undefined);
    return teams.map((team) => ({ id: team.id, name: team.name, createdAt: team.createdAt, leadCount: team._count.leads }));
  }),

  create: orgProcedure("org:admin")
    .input(teamNameInput)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const team = await tx.team.create({ data: { orgId: ctx.access.orgId, name: input.name } });
          await audit({ action: "team.created", targetType: "team", targetId: team.id, teamId: team.id, after: { name: team.name } });
          return { id: team.id, name: team.name };
        })
        .catch(duplicateName),
    ),

  rename: orgProcedure("org:admin")
    .input(renameTeamInput)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const team = await tx.team.findFirst({ where: { orgId: ctx.access.orgId, id: input.teamId } });
          if (!team) throw new TRPCError({ code: "NOT_FOUND", message: "No such team." });
          await tx.team.update({ where: { id: team.id }, data: { name: input.name } });
          await audit({
            action: "team.renamed",
            targetType: "team",
            targetId: team.id,
            teamId: team.id,
            before: { name: team.name },
            after: { name: input.name },
          });
          return { id: team.id, name: input.name };
        })
        .catch(duplicateName),
    ),
});

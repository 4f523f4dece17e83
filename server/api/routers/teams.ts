import { createTeam, listTeams, renameTeam } from "../../data/teams";
import { renameTeamInput, teamNameInput } from "../../domain/org/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const teamsRouter = createTRPCRouter({
  /** Team leads see their own teams; everyone else sees all. */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listTeams(ctx.db, ctx.access)),

  create: orgProcedure("org:admin")
    .input(teamNameInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createTeam(tx, audit, ctx.access.orgId, input.name))),

  rename: orgProcedure("org:admin")
    .input(renameTeamInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => renameTeam(tx, audit, ctx.access.orgId, input.teamId, input.name))),
});

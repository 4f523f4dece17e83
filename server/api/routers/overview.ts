// The Overview dashboard: one query with everything the page shows. Every role reads it
// (dashboard:read); a team lead's figures cover only their teams' agents.
import { overviewSummary } from "../../data/overview";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const overviewRouter = createTRPCRouter({
  summary: orgProcedure("dashboard:read").query(({ ctx }) => overviewSummary(ctx.db, ctx.access, new Date())),
});

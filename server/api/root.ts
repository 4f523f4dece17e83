import { auditRouter } from "./routers/audit";
import { membersRouter } from "./routers/members";
import { orgRouter } from "./routers/org";
import { teamsRouter } from "./routers/teams";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  org: orgRouter,
  teams: teamsRouter,
  members: membersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

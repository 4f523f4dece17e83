import { accountRouter } from "./routers/account";
import { agentsRouter } from "./routers/agents";
import { alertsRouter } from "./routers/alerts";
import { anomaliesRouter } from "./routers/anomalies";
import { approvalsRouter } from "./routers/approvals";
import { auditRouter } from "./routers/audit";
import { budgetsRouter } from "./routers/budgets";
import { complianceRouter } from "./routers/compliance";
import { eventsRouter } from "./routers/events";
import { incidentsRouter } from "./routers/incidents";
import { keysRouter } from "./routers/keys";
import { killSwitchesRouter } from "./routers/killswitches";
import { membersRouter } from "./routers/members";
import { modelsRouter } from "./routers/models";
import { orgRouter } from "./routers/org";
import { overviewRouter } from "./routers/overview";
import { policiesRouter } from "./routers/policies";
import { rolloutsRouter } from "./routers/rollouts";
import { routingRouter } from "./routers/routing";
import { teamsRouter } from "./routers/teams";
import { versionsRouter } from "./routers/versions";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  org: orgRouter,
  teams: teamsRouter,
  members: membersRouter,
  audit: auditRouter,
  approvals: approvalsRouter,
  agents: agentsRouter,
  keys: keysRouter,
  events: eventsRouter,
  models: modelsRouter,
  account: accountRouter,
  routing: routingRouter,
  alerts: alertsRouter,
  policies: policiesRouter,
  budgets: budgetsRouter,
  killSwitches: killSwitchesRouter,
  overview: overviewRouter,
  compliance: complianceRouter,
  incidents: incidentsRouter,
  anomalies: anomaliesRouter,
  versions: versionsRouter,
  rollouts: rolloutsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

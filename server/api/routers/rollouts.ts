// Rollouts in the console: the running and past ones with every guard's numbers, and the
// controls (start, promote, hold, resume, roll back, skip a guard, approve 100 %), each audited
// with its reason. Owners, admins and the agent's team leads act (agents:write, team-scoped).
import { z } from "zod";
import type { AuthorizedOrg } from "../../auth/access";
import {
  approveRollout,
  holdRollout,
  listRollouts,
  promoteRollout,
  resumeRollout,
  rollBackRollout,
  skipGuard,
  startRollout,
} from "../../data/rollouts";
import { rolloutActionSchema, skipGuardSchema, startRolloutSchema } from "../../domain/rollout/schemas";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";
import { lifecycleError } from "./versions";

function context(access: AuthorizedOrg) {
  return {
    orgId: access.orgId,
    actor: { type: "user" as const, label: access.membership.userEmail },
    authorize: (teamId: string | null) => assertTeamInReach(access, teamId),
  };
}

type Control = typeof promoteRollout;

function control(run: Control) {
  return orgProcedure("agents:write")
    .input(rolloutActionSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const rollout = await run(tx, { ...context(ctx.access), audit, rolloutId: input.rolloutId, reason: input.reason });
          return { id: rollout.id, status: rollout.status, stageIndex: rollout.stageIndex };
        })
        .catch(lifecycleError),
    );
}

export const rolloutsRouter = createTRPCRouter({
  /** Running and paused rollouts (with their last evaluation), then recent ended ones. */
  list: orgProcedure("dashboard:read")
    .input(z.object({ agentId: z.string().uuid().optional() }))
    .query(({ ctx, input }) => listRollouts(ctx.db, ctx.access.orgId, ctx.access.reach, input.agentId ? { agentId: input.agentId } : {})),

  start: orgProcedure("agents:write")
    .input(startRolloutSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const { orgId: _orgId, ...rollout } = input;
          const started = await startRollout(tx, { ...context(ctx.access), audit, rollout });
          return { id: started.id, status: started.status };
        })
        .catch(lifecycleError),
    ),

  /** Moves to the next stage now (reaching 100 % completes the rollout). */
  promote: control(promoteRollout),
  hold: control(holdRollout),
  resume: control(resumeRollout),
  rollback: control(rollBackRollout),
  /** The second person's approval before 100 %. */
  approve: control(approveRollout),

  /** Skips one guard for the current stage. */
  skipGuard: orgProcedure("agents:write")
    .input(skipGuardSchema)
    .mutation(({ ctx, input }) =>
      ctx
        .audited(async (tx, audit) => {
          const rollout = await skipGuard(tx, { ...context(ctx.access), audit, rolloutId: input.rolloutId, reason: input.reason, metric: input.metric });
          return { id: rollout.id, skippedGuards: rollout.skippedGuards };
        })
        .catch(lifecycleError),
    ),
});

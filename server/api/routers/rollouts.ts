// Rollouts in the console: the running and past ones with every guard's numbers, and the
// controls (start, promote, hold, resume, roll back, skip a guard, approve 100 %), each audited
// with its reason. Owners, admins and the agent's team leads act (agents:write, team-scoped).
import { z } from "zod";
import { listRollouts } from "../../data/rollout-views";
import { approveRollout, holdRollout, promoteRollout, resumeRollout, rollBackRollout, skipGuard, startRollout } from "../../data/rollouts";
import { rolloutActionSchema, skipGuardSchema, startRolloutSchema } from "../../domain/rollout/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

/** The controls that take a rollout and a reason, and answer its new state. */
function control(run: typeof promoteRollout) {
  return orgProcedure("agents:write")
    .input(rolloutActionSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => run(tx, audit, ctx.access, input)).then(({ id, status, stageIndex }) => ({ id, status, stageIndex })));
}

export const rolloutsRouter = createTRPCRouter({
  /** Running and paused rollouts (with their last evaluation), then recent ended ones. */
  list: orgProcedure("dashboard:read")
    .input(z.object({ agentId: z.string().uuid().optional() }))
    .query(({ ctx, input }) => listRollouts(ctx.db, ctx.access.orgId, ctx.access.reach, input.agentId ? { agentId: input.agentId } : {})),

  start: orgProcedure("agents:write")
    .input(startRolloutSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => startRollout(tx, audit, ctx.access, input)).then(({ id, status }) => ({ id, status }))),

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
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => skipGuard(tx, audit, ctx.access, input)).then(({ id, skippedGuards }) => ({ id, skippedGuards }))),
});

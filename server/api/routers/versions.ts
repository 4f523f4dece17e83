// Agent versions in the console: list, compare (diff and A/B), the agent's timeline, and the
// lifecycle changes (create, edit a draft, release, deprecate, retire, make stable). Owners, admins
// and the agent's team leads change them (agents:write, team-scoped); every reader reads.
import { z } from "zod";
import { agentTimeline, compareVersions, versionsOfAgent } from "../../data/version-views";
import { createVersion, deprecateVersion, makeStable, releaseVersion, retireVersion, updateDraft } from "../../data/versions";
import { compareSchema, createVersionSchema, updateVersionSchema, versionActionSchema } from "../../domain/rollout/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

const agentInput = z.object({ agentId: z.string().uuid() });

/** The lifecycle steps that take a version and a reason, and answer its new status. */
function lifecycleStep(run: typeof deprecateVersion) {
  return orgProcedure("agents:write")
    .input(versionActionSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => run(tx, audit, ctx.access, input)).then(({ id, status }) => ({ id, status })));
}

export const versionsRouter = createTRPCRouter({
  /** The agent's versions (newest first) and its running rollout, if any. */
  list: orgProcedure("dashboard:read")
    .input(agentInput)
    .query(({ ctx, input }) => versionsOfAgent(ctx.db, ctx.access, input.agentId)),

  /** The release ledger of the agent: its timeline. */
  timeline: orgProcedure("dashboard:read")
    .input(agentInput)
    .query(({ ctx, input }) => agentTimeline(ctx.db, ctx.access, input.agentId)),

  /** A/B comparison of two versions over the same window, each difference with its test and interval. */
  compare: orgProcedure("dashboard:read")
    .input(compareSchema)
    .query(({ ctx, input }) => compareVersions(ctx.db, ctx.access, input)),

  create: orgProcedure("agents:write")
    .input(createVersionSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => createVersion(tx, audit, ctx.access, input)).then(({ id, label }) => ({ id, label }))),

  /** Edits a draft; a released version is immutable. */
  update: orgProcedure("agents:write")
    .input(updateVersionSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => updateDraft(tx, audit, ctx.access, input)).then(({ id, label }) => ({ id, label }))),

  release: orgProcedure("agents:write")
    .input(versionActionSchema)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => releaseVersion(tx, audit, ctx.access, input)).then(({ id, status, becameStable }) => ({ id, status, becameStable }))),

  deprecate: lifecycleStep(deprecateVersion),
  retire: lifecycleStep(retireVersion),
  /** Makes an earlier version stable again (a revert, from the ledger). */
  makeStable: lifecycleStep(makeStable),
});

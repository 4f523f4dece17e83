// Kill switches in the console. Who may (the role table, docs/concepts.md): agent and team switches, owners/admins
// everywhere and team leads on their own teams (killswitch:team); model, tag and org switches,
// owners/admins only (killswitch:org; a tag may span teams, so it is treated like a model).
import { z } from "zod";
import { engageKillSwitchByHand, releaseKillSwitchByHand } from "../../data/killswitches";
import { haltingSwitchForAgent, listKillSwitches, listTargets } from "../../data/killswitch-views";
import { KILL_SWITCH_SCOPES } from "../../domain/killswitch/match";
import { createTRPCRouter, orgProcedure } from "../trpc";

const scope = z.enum(KILL_SWITCH_SCOPES);
const reason = z.string().trim().min(3, "Say why (at least 3 characters)").max(500);

export const killSwitchesRouter = createTRPCRouter({
  /** Engaged switches (with who/when/why, affected agents, acknowledgements) and the released history. */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listKillSwitches(ctx.db, ctx.access.orgId, ctx.access.reach)),

  /** What the caller may switch off in a scope: empty for scopes their role does not allow. */
  targets: orgProcedure("killswitch:team")
    .input(z.object({ scope }))
    .query(({ ctx, input }) => listTargets(ctx.db, ctx.access, input.scope)),

  /** The switch halting one agent, for the banner on its page (null when it runs). */
  forAgent: orgProcedure("dashboard:read")
    .input(z.object({ agentId: z.string().uuid() }))
    .query(({ ctx, input }) => haltingSwitchForAgent(ctx.db, ctx.access, input.agentId)),

  engage: orgProcedure("killswitch:team")
    .input(
      z.object({
        scope,
        /** Agent id, team id, model name or tag; ignored for the org. */
        target: z.string().trim().max(200),
        reason,
        /** Must equal the target's name (the org's name for an org switch). */
        confirmation: z.string().max(200),
      }),
    )
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => engageKillSwitchByHand(tx, audit, ctx.access, input))),

  release: orgProcedure("killswitch:team")
    .input(z.object({ id: z.string().uuid(), reason }))
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => releaseKillSwitchByHand(tx, audit, ctx.access, input))),
});

// Kill switches in the console. Who may (the role table, docs/concepts.md): agent and team switches, owners/admins
// everywhere and team leads on their own teams (killswitch:team); model, tag and org switches,
// owners/admins only (killswitch:org; a tag may span teams, so it is treated like a model).
import { engageKillSwitchByHand, releaseKillSwitchByHand } from "../../data/killswitches";
import { haltingSwitchForAgent, listKillSwitches, listTargets } from "../../data/killswitch-views";
import { agentSwitchInput, engageKillSwitchInput, killSwitchTargetsInput, releaseKillSwitchInput } from "../../domain/killswitch/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const killSwitchesRouter = createTRPCRouter({
  /** Engaged switches (with who/when/why, affected agents, acknowledgements) and the released history. */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listKillSwitches(ctx.db, ctx.access.orgId, ctx.access.reach)),

  /** What the caller may switch off in a scope: empty for scopes their role does not allow. */
  targets: orgProcedure("killswitch:team")
    .input(killSwitchTargetsInput)
    .query(({ ctx, input }) => listTargets(ctx.db, ctx.access, input.scope)),

  /** The switch halting one agent, for the banner on its page (null when it runs). */
  forAgent: orgProcedure("dashboard:read")
    .input(agentSwitchInput)
    .query(({ ctx, input }) => haltingSwitchForAgent(ctx.db, ctx.access, input.agentId)),

  engage: orgProcedure("killswitch:team")
    .input(engageKillSwitchInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => engageKillSwitchByHand(tx, audit, ctx.access, input))),

  release: orgProcedure("killswitch:team")
    .input(releaseKillSwitchInput)
    .mutation(({ ctx, input }) => ctx.audited((tx, audit) => releaseKillSwitchByHand(tx, audit, ctx.access, input))),
});

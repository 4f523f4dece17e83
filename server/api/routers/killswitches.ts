// Kill switches in the console. Who may (DESIGN.md): agent and team switches, owners/admins
// everywhere and team leads on their own teams (killswitch:team); model, tag and org switches,
// owners/admins only (killswitch:org; a tag may span teams, so it is treated like a model).
import { TRPCError } from "@trpc/server";
import {
  haltingSwitchForAgent,
  KillSwitchConflict,
  listKillSwitches,
  listTargets,
  releaseKillSwitch,
  resolveTarget,
  engageKillSwitch,
} from "../../data/killswitches";
import { can } from "../../domain/access/permissions";
import { confirmationMatches, isTeamScoped, permissionForScope } from "../../domain/killswitch/rules";
import { agentSwitchInput, engageKillSwitchInput, killSwitchTargetsInput, releaseKillSwitchInput } from "../../domain/killswitch/schemas";
import type { KillSwitchScope } from "../../domain/killswitch/match";
import type { AuthorizedOrg } from "../../auth/access";
import { forgetFacts } from "../../data/facts";
import { assertTeamInReach, createTRPCRouter, orgProcedure } from "../trpc";

function assertScopeAllowed(access: AuthorizedOrg, switchScope: KillSwitchScope): void {
  if (!can(access.membership.role, permissionForScope(switchScope))) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Only owners and admins may use a ${switchScope} kill switch.` });
  }
}

/** FORBIDDEN unless the caller may switch this scope, on this target's team. */
function assertMayAct(access: AuthorizedOrg, switchScope: KillSwitchScope, teamId: string | null): void {
  assertScopeAllowed(access, switchScope);
  if (isTeamScoped(switchScope)) assertTeamInReach(access, teamId);
}

export const killSwitchesRouter = createTRPCRouter({
  /** Engaged switches (with who/when/why, affected agents, acknowledgements) and the released history. */
  list: orgProcedure("dashboard:read").query(({ ctx }) => listKillSwitches(ctx.db, ctx.access.orgId, ctx.access.reach)),

  /** What the caller may switch off in a scope: empty for scopes their role does not allow. */
  targets: orgProcedure("killswitch:team")
    .input(killSwitchTargetsInput)
    .query(async ({ ctx, input }) => {
      if (!can(ctx.access.membership.role, permissionForScope(input.scope))) return [];
      return listTargets(ctx.db, ctx.access.orgId, input.scope, ctx.access.reach);
    }),

  /** The switch halting one agent, for the banner on its page (null when it runs). */
  forAgent: orgProcedure("dashboard:read")
    .input(agentSwitchInput)
    .query(async ({ ctx, input }) => {
      const agent = await ctx.db.agent.findFirst({ where: { orgId: ctx.access.orgId, id: input.agentId }, select: { id: true, teamId: true, tags: true } });
      if (!agent) throw new TRPCError({ code: "NOT_FOUND", message: "No such agent." });
      assertTeamInReach(ctx.access, agent.teamId);
      return haltingSwitchForAgent(ctx.db, ctx.access.orgId, agent);
    }),

  engage: orgProcedure("killswitch:team")
    .input(engageKillSwitchInput)
    .mutation(async ({ ctx, input }) => {
      const orgId = ctx.access.orgId;
      // Refuse what the role can never do before touching anything, whatever the target.
      assertScopeAllowed(ctx.access, input.scope);
      const record = await ctx.audited(async (tx, audit) => {
        const target = await resolveTarget(tx, orgId, input.scope, input.target);
        if (!target) throw new TRPCError({ code: "NOT_FOUND", message: `No such ${input.scope}.` });
        assertMayAct(ctx.access, input.scope, target.teamId);
        if (!confirmationMatches(input.confirmation, target.displayName)) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `Type "${target.displayName}" exactly to confirm.` });
        }
        try {
          return await engageKillSwitch(tx, {
            orgId,
            scope: input.scope,
            target,
            reason: input.reason,
            reasonCode: "kill_switch",
            engagedBy: ctx.access.membership.userEmail,
            audit,
          });
        } catch (error) {
          if (error instanceof KillSwitchConflict) throw new TRPCError({ code: "CONFLICT", message: "That switch is already engaged." });
          throw error;
        }
      });
      // This process reads its own write at once; the others drop their copy on the NOTIFY.
      forgetFacts(orgId);
      return { id: record.id, revision: record.revision };
    }),

  release: orgProcedure("killswitch:team")
    .input(releaseKillSwitchInput)
    .mutation(async ({ ctx, input }) => {
      const orgId = ctx.access.orgId;
      const result = await ctx.audited(async (tx, audit) => {
        const released = await releaseKillSwitch(tx, {
          orgId,
          id: input.id,
          reason: input.reason,
          releasedBy: ctx.access.membership.userEmail,
          authorize: (existing) => assertMayAct(ctx.access, existing.scope, existing.teamId),
          audit,
        });
        if (!released) throw new TRPCError({ code: "NOT_FOUND", message: "No such kill switch." });
        if (released.alreadyReleased) throw new TRPCError({ code: "BAD_REQUEST", message: "This switch was already released." });
        return released.record;
      });
      forgetFacts(orgId);
      return { id: result.id };
    }),
});

// The rules of engaging a kill switch: who may (the role table in docs/concepts.md), and the typed confirmation.
import type { Permission } from "../access/permissions";
import type { KillSwitchScope } from "./match";

/**
 * Agent and team switches are `killswitch:team` (team leads: their own teams). Model, tag and org
 * switches reach across teams, so they are `killswitch:org` (owners and admins only): a tag can be
 * on agents of any team, so it is treated like a model or the org.
 */
export function permissionForScope(scope: KillSwitchScope): Permission {
  return scope === "agent" || scope === "team" ? "killswitch:team" : "killswitch:org";
}

/** Whether a scope is limited to one team (and so checked against the caller's team reach). */
export function isTeamScoped(scope: KillSwitchScope): boolean {
  return scope === "agent" || scope === "team";
}

/**
 * The typed confirmation must be the target's display name (the agent's, team's, model's or tag's
 * name, or the org's name), exactly, apart from surrounding spaces: a slip of the mouse must not
 * stop an organisation.
 */
export function confirmationMatches(typed: string, displayName: string): boolean {
  const expected = displayName.trim();
  return expected.length > 0 && typed.trim() === expected;
}

export const SCOPE_LABELS: Record<KillSwitchScope, string> = {
  agent: "One agent",
  team: "A team",
  model: "A model",
  tag: "A tag / workflow",
  org: "The whole organisation",
};
